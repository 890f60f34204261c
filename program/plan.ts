/** The composition's mapping from a stack's configuration to the components' own arguments. */

import { RayClusterPlan } from "../components/raycluster/secureRayCluster";
import { StackConfig } from "../config/stackConfig";

/** The plan a stack's configuration describes. */
export function rayClusterPlan(config: StackConfig): RayClusterPlan {
    return {
        variant: config.ray.variant,
        name: config.ray.clusterName,
        rayVersion: config.ray.version,
        image: config.ray.image,
        head: config.ray.head,
        workerGroups: config.ray.workerGroups,
        autoscaling: config.ray.autoscaling,
        readyTimeoutSeconds: config.ray.readyTimeoutSeconds,
        namespaceName: config.namespace,
        podSecurity: config.podSecurity,
    };
}
