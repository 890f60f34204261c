/** The namespace the program's RayCluster, the tutorial's Step 5.1 and the audit policy use (as in the tutorial). */
export const E2E_NAMESPACE = "pod-security";
