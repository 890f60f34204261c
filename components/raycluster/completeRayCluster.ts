/**
 * The tutorial's Step 5.1 RayCluster (`ray-cluster.complete.yaml`): the same Ray cluster with no
 * securityContext anywhere, so that under `restricted` the operator's Pods are refused. Deployed only when
 * a stack asks for it (`ray.variant: complete`), to reproduce that step on purpose.
 */

import { RayCluster } from "../../model/k8s/types";
import { headContainerPorts, rayLogsMount, rayLogsVolume, RayClusterOptions, resources, workerGroupSizing } from "./rayClusterSpec";

export function buildCompleteRayCluster(options: Omit<RayClusterOptions, "exampleConfigMap" | "autoscaling">): RayCluster {
    const logs = { volumeMounts: [rayLogsMount()] };
    const volumes = [rayLogsVolume()];
    return {
        apiVersion: "ray.io/v1",
        kind: "RayCluster",
        metadata: { name: options.name },
        spec: {
            rayVersion: options.rayVersion,
            headGroupSpec: {
                serviceType: "ClusterIP",
                rayStartParams: { "dashboard-host": "0.0.0.0" },
                template: {
                    spec: {
                        containers: [
                            {
                                name: "ray-head",
                                image: options.image,
                                ports: headContainerPorts(),
                                ...logs,
                                resources: resources(options.head.cpu, options.head.memory),
                            },
                        ],
                        volumes,
                    },
                },
            },
            workerGroupSpecs: options.workerGroups.map((group) => ({
                ...workerGroupSizing(group),
                template: {
                    spec: {
                        containers: [
                            { name: "ray-worker", image: options.image, ...logs, resources: resources(group.cpu, group.memory) },
                        ],
                        volumes,
                    },
                },
            })),
        },
    };
}
