/** The kuberay-operator Helm chart this project installs by default. */

export const KUBERAY_CHART = "kuberay-operator";

export const DEFAULT_CHART_VERSION = "1.7.0";

/** The KubeRay project's own Helm chart repository. */
export const DEFAULT_CHART_REPOSITORY = "https://ray-project.github.io/kuberay-helm/";
