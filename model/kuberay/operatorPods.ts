/**
 * The Pods the KubeRay operator creates for a RayCluster, modelled from its source
 * (ray-operator/controllers/ray/common/pod.go, v1.1–v1.7) as far as Pod Security is concerned:
 * which containers run and with which securityContext. RayJob's Pods: rayJobPods.ts.
 *
 * - Every worker Pod gets a `wait-gcs-ready` init container, appended after the user's, whose
 *   securityContext is a copy of the Ray container's (`containers[0]`).
 * - With `enableInTreeAutoscaling`, the head Pod gets an `autoscaler` container, appended after the user's,
 *   whose securityContext is `autoscalerOptions.securityContext` and nothing else.
 * - Every Ray Pod gets a memory-backed emptyDir at /dev/shm for the object store.
 * The operator never sets a Pod-level securityContext.
 */

import { Container, FieldPath, ObjectMeta, PodSource, PodSpec, RayClusterSpec, Volume } from "../k8s/types";

export const WAIT_GCS_READY = "wait-gcs-ready";
export const AUTOSCALER = "autoscaler";

export interface OperatorPod {
    /** `head` or `worker/<groupName>`. */
    role: string;
    /** The template's metadata the Pod is made from (its annotations matter to Pod Security), when it has any. */
    metadata?: ObjectMeta;
    spec: PodSpec;
    /** Where its spec and injected containers come from, relative to the spec the operator read. */
    source: PodSource;
}

export interface OperatorModelOptions {
    /** The operator's ENABLE_INIT_CONTAINER_INJECTION (default true). */
    initContainerInjection?: boolean;
}

const SHARED_MEMORY: Volume = { name: "shared-mem", emptyDir: { medium: "Memory" } };

export function rayClusterPods(spec: RayClusterSpec, options: OperatorModelOptions = {}): OperatorPod[] {
    return [headPod(spec), ...(spec.workerGroupSpecs ?? []).map((group, index) => {
        const template: FieldPath = ["workerGroupSpecs", index, "template"];
        return {
            role: `worker/${group.groupName}`,
            ...withMetadata(group.template.metadata),
            spec: workerPodSpec(group.template.spec, options.initContainerInjection ?? true),
            // wait-gcs-ready copies the Ray container's securityContext.
            source: { specPath: [...template, "spec"], containers: { [WAIT_GCS_READY]: [...template, "spec", "containers", 0] } },
        };
    })];
}

function headPod(spec: RayClusterSpec): OperatorPod {
    const template = spec.headGroupSpec.template.spec;
    const containers = [...template.containers];
    if (spec.enableInTreeAutoscaling) {
        const autoscaler: Container = { name: AUTOSCALER, image: template.containers[0]?.image };
        const securityContext = spec.autoscalerOptions?.securityContext;
        containers.push(securityContext ? { ...autoscaler, securityContext: copyOf(securityContext) } : autoscaler);
    }
    return {
        role: "head",
        ...withMetadata(spec.headGroupSpec.template.metadata),
        spec: { ...template, containers, volumes: withSharedMemory(template.volumes) },
        // Where the autoscaler container is written: its securityContext is autoscalerOptions.securityContext.
        source: { specPath: ["headGroupSpec", "template", "spec"], ...(spec.enableInTreeAutoscaling ? { containers: { [AUTOSCALER]: ["autoscalerOptions"] } } : {}) },
    };
}

function workerPodSpec(template: PodSpec, initContainerInjection: boolean): PodSpec {
    const ray = template.containers[0];
    const initContainers = [...(template.initContainers ?? [])];
    if (initContainerInjection && ray) {
        const waitGcsReady: Container = { name: WAIT_GCS_READY, image: ray.image };
        initContainers.push(ray.securityContext ? { ...waitGcsReady, securityContext: copyOf(ray.securityContext) } : waitGcsReady);
    }
    return {
        ...template,
        ...(initContainers.length > 0 ? { initContainers } : {}),
        volumes: withSharedMemory(template.volumes),
    };
}

/**
 * The operator's DeepCopy. A JSON round trip, not structuredClone: the policy pack hands in Proxy objects
 * (unknown-value checking), which structuredClone cannot copy.
 */
function copyOf<T>(value: T): T {
    return JSON.parse(JSON.stringify(value)) as T;
}

function withSharedMemory(volumes: Volume[] | undefined): Volume[] {
    return [...(volumes ?? []), SHARED_MEMORY];
}

export function withMetadata(metadata: ObjectMeta | undefined): { metadata?: ObjectMeta } {
    return metadata ? { metadata } : {};
}
