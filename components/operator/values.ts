import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from "../../model/k8s/securityContext";


export interface OperatorValuesOptions {
    /** Watch every namespace (ClusterRole) instead of only the release namespace (Role). */
    clusterWide: boolean;
}

/** Helm values for the kuberay-operator chart: the tutorial's hardened securityContext, least privilege. */
export function operatorHelmValues(options: OperatorValuesOptions): Record<string, unknown> {
    return {
        securityContext: { ...restrictedContainerSecurityContext(), readOnlyRootFilesystem: true },
        podSecurityContext: restrictedPodSecurityContext(),
        // Namespaced Role/RoleBinding; the operator then watches only its own namespace.
        singleNamespaceInstall: !options.clusterWide,
    };
}
