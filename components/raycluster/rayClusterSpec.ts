/**
 * The RayCluster and its example ConfigMap, built as data: the tutorial's `ray-cluster.pod-security.yaml`,
 * brought up to date (rayproject/ray instead of the discontinued ray-ml image, current Ray, a Train V2 script).
 */

import * as fs from "fs";
import * as path from "path";
import {
    EXAMPLE_MOUNT_PATH,
    EXAMPLE_SCRIPT_KEY,
    HEAD_PORTS,
    RAY_GID,
    RAY_UID,
    WorkerGroup,
} from "../../model/ray";
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from "../../model/k8s/securityContext";
import { ConfigMap, Container, PodSecurityContext, RayCluster, ResourceRequirements, WorkerGroupSpec } from "../../model/k8s/types";


/** The head container's named ports (gcs, dashboard, client), as the tutorial declares them. */
export function headContainerPorts(): { containerPort: number; name: string }[] {
    return Object.entries(HEAD_PORTS).map(([name, containerPort]) => ({ containerPort, name }));
}

/** Ray writes its logs and sockets to /tmp/ray: an emptyDir, so the root filesystem is not needed. */
// Functions, not shared constants: every manifest gets objects of its own.
export const rayLogsMount = () => ({ mountPath: "/tmp/ray", name: "ray-logs" });
export const rayLogsVolume = () => ({ name: "ray-logs", emptyDir: {} });

/** CPU and memory of a Pod's Ray container (requests = limits). */
export interface PodResources {
    /** A CPU quantity, e.g. "1" or "500m". */
    cpu: string;
    /** A memory quantity, e.g. "2Gi". */
    memory: string;
}

/** What a RayCluster looks like: name, Ray, head and workers. */
export interface RayClusterShape {
    /** RayCluster name (an RFC 1035 label: its head Service is `<name>-head-svc`). */
    name: string;
    /** Ray version (`spec.rayVersion`); must match the image's. */
    rayVersion: string;
    /** Ray image for head and workers, e.g. "rayproject/ray:2.52.0". */
    image: string;
    /** Head Pod CPU and memory (requests = limits). */
    head: PodResources;
    /** Worker groups; each becomes a `workerGroupSpecs` entry. */
    workerGroups: WorkerGroup[];
    /** In-tree autoscaling: the operator then adds an `autoscaler` sidecar to the head Pod, hardened too. */
    autoscaling: boolean;
}

export interface RayClusterOptions extends RayClusterShape {
    /** Name of the ConfigMap holding the example script. */
    exampleConfigMap: string;
}

/** The example script shipped in the ConfigMap (kept as a real .py file next to this module). */
export function xgboostExampleScript(): string {
    return fs.readFileSync(path.join(__dirname, EXAMPLE_SCRIPT_KEY), "utf8");
}

export function buildExampleConfigMap(name: string): ConfigMap {
    return {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name },
        data: { [EXAMPLE_SCRIPT_KEY]: xgboostExampleScript() },
    };
}

/** The Pod-level context: non-root as the image's own user, RuntimeDefault seccomp, group-writable volumes. */
export function rayPodSecurityContext(): PodSecurityContext {
    return { ...restrictedPodSecurityContext(), runAsUser: RAY_UID, runAsGroup: RAY_GID, fsGroup: RAY_GID };
}

export function resources(cpu: string, memory: string): ResourceRequirements {
    // Requests equal limits: Ray sizes itself from the limits, and Guaranteed Pods are not evicted first.
    return { requests: { cpu, memory }, limits: { cpu, memory } };
}

const PRE_STOP = { exec: { command: ["/bin/sh", "-c", "ray stop"] } };

function rayContainer(name: string, image: string, cpu: string, memory: string, extra: Partial<Container>): Container {
    return {
        name,
        image,
        lifecycle: { preStop: PRE_STOP },
        resources: resources(cpu, memory),
        // The operator copies this context into the `wait-gcs-ready` init container it injects.
        securityContext: restrictedContainerSecurityContext(),
        ...extra,
        volumeMounts: [rayLogsMount(), ...(extra.volumeMounts ?? [])],
    };
}

/** A worker group's name, sizing and (default) `ray start` parameters: everything but its Pod template. */
export function workerGroupSizing(group: WorkerGroup): Omit<WorkerGroupSpec, "template"> {
    return { groupName: group.name, replicas: group.replicas, minReplicas: group.minReplicas, maxReplicas: group.maxReplicas, rayStartParams: {} };
}

function workerGroup(group: WorkerGroup, image: string): WorkerGroupSpec {
    return {
        ...workerGroupSizing(group),
        template: {
            spec: {
                securityContext: rayPodSecurityContext(),
                containers: [rayContainer("ray-worker", image, group.cpu, group.memory, {})],
                volumes: [rayLogsVolume()],
            },
        },
    };
}

export function buildRayCluster(options: RayClusterOptions): RayCluster {
    const head = rayContainer("ray-head", options.image, options.head.cpu, options.head.memory, {
        ports: headContainerPorts(),
        volumeMounts: [{ mountPath: EXAMPLE_MOUNT_PATH, name: "ray-example-configmap" }],
    });
    return {
        apiVersion: "ray.io/v1",
        kind: "RayCluster",
        metadata: { name: options.name },
        spec: {
            rayVersion: options.rayVersion,
            ...(options.autoscaling
                ? {
                      enableInTreeAutoscaling: true,
                      // The only securityContext the injected `autoscaler` sidecar gets.
                      autoscalerOptions: {
                          securityContext: restrictedContainerSecurityContext(),
                          resources: resources("500m", "512Mi"),
                          idleTimeoutSeconds: 60,
                          upscalingMode: "Default",
                      },
                  }
                : {}),
            headGroupSpec: {
                rayStartParams: { "dashboard-host": "0.0.0.0" },
                template: {
                    spec: {
                        securityContext: rayPodSecurityContext(),
                        containers: [head],
                        volumes: [
                            rayLogsVolume(),
                            {
                                name: "ray-example-configmap",
                                configMap: {
                                    name: options.exampleConfigMap,
                                    items: [{ key: EXAMPLE_SCRIPT_KEY, path: EXAMPLE_SCRIPT_KEY }],
                                },
                            },
                        ],
                    },
                },
            },
            workerGroupSpecs: options.workerGroups.map((group) => workerGroup(group, options.image)),
        },
    };
}

/** KubeRay's name for the head Service. */
export function headServiceName(rayClusterName: string): string {
    return `${rayClusterName}-head-svc`;
}

/** Pulumi annotations that make `pulumi up` wait until the operator reports the cluster provisioned. */
export function readinessAnnotations(timeoutSeconds: number): Record<string, string> {
    return {
        "pulumi.com/waitFor": "condition=RayClusterProvisioned",
        "pulumi.com/timeoutSeconds": String(timeoutSeconds),
    };
}
