/** The tutorial's Step 5.1 cluster runs in a namespace of its own, so the program's audit log stays clean. */
export const STEP51_NAMESPACE = "pod-security-step51";
