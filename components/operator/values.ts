import { DEFAULT_CHART_REPOSITORY } from "../config/schema";
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from "../k8s/securityContext";

/** The KubeRay project's chart repository, operator.chartRepository's default. */
export const KUBERAY_HELM_REPO = DEFAULT_CHART_REPOSITORY;
export const KUBERAY_CHART = "kuberay-operator";

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
