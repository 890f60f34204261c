/**
 * The package's components, for other programs and other languages: `pulumi package add` reads this module
 * (package.json `main`, PulumiPlugin.yaml) and builds an SDK from the constructors' declared Args.
 */

export { KindCluster } from "./kind/kindCluster";
export { PodSecurityNamespace } from "./namespace/podSecurityNamespace";
export { KubeRayOperator } from "./operator/kubeRayOperator";
export { SecureRayCluster } from "./raycluster/secureRayCluster";
