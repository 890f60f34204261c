/**
 * The tutorial's Step 5.1 RayCluster (`ray-cluster.complete.yaml`): the same Ray cluster with no
 * securityContext anywhere, so that under `restricted` the operator's Pods are refused. Deployed only when
 * a stack asks for it (`ray.variant: complete`), to reproduce that step on purpose.
 */

import { RayCluster } from "../k8s/types";
import { HEAD_PORTS, RayClusterOptions, resources, workerGroupSizing } from "./rayClusterSpec";

export function buildCompleteRayCluster(options: Omit<RayClusterOptions, "exampleConfigMap" | "autoscaling">): RayCluster {
    const logs = { volumeMounts: [{ mountPath: "/tmp/ray", name: "ray-logs" }] };
    const volumes = [{ name: "ray-logs", emptyDir: {} }];
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
                                ports: Object.entries(HEAD_PORTS).map(([name, containerPort]) => ({ containerPort, name })),
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
