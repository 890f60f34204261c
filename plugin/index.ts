/**
 * The package's components, for other programs and other languages: the Pulumi CLI reads this module
 * (PulumiPlugin.yaml, package.json's main) and builds an SDK from the constructors' declared Args.
 */

export { KindCluster, PodSecurityNamespace, KubeRayOperator, SecureRayCluster } from "../components";
