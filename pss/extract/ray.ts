/**
 * The Pods the KubeRay operator creates for RayCluster, RayJob and RayService, modelled by
 * components/kuberay/operatorPods.ts (injected `wait-gcs-ready` and `autoscaler` containers included).
 */

import { rayClusterPods } from "../../components/kuberay/operatorPods";
import { RayClusterSpec } from "../../components/k8s/types";
import { ExtractedPod, InvalidManifestError } from "./types";

/** Container the operator runs `ray job submit` in; it has no securityContext of its own. */
export const SUBMITTER_CONTAINER = "ray-job-submitter";

/** The shape the operator's Pod construction relies on; the CRD schema enforces it in a real cluster. */
function checkShape(spec: RayClusterSpec, at: string): void {
    const groups: unknown = spec.workerGroupSpecs;
    if (groups !== undefined && groups !== null && !Array.isArray(groups)) {
        throw new InvalidManifestError(`${at}.workerGroupSpecs is not a list`);
    }
    (spec.workerGroupSpecs ?? []).forEach((group, index) => {
        const containers: unknown = group?.template?.spec?.containers;
        if (!Array.isArray(containers) || containers.length === 0) {
            throw new InvalidManifestError(`${at}.workerGroupSpecs[${index}].template.spec.containers is missing or empty`);
        }
    });
}

export function rayClusterSpecPods(spec: RayClusterSpec | undefined, at = "spec"): ExtractedPod[] | undefined {
    const headContainers: unknown = spec?.headGroupSpec?.template?.spec?.containers;
    if (!Array.isArray(headContainers) || headContainers.length === 0) {
        return undefined;
    }
    checkShape(spec!, at);
    const headMetadata = spec!.headGroupSpec.template.metadata;
    const workerMetadata = new Map((spec!.workerGroupSpecs ?? []).map((group) => [`worker/${group.groupName}`, group.template?.metadata]));
    return rayClusterPods(spec!).map(({ role, spec: podSpec }) => ({
        pod: role,
        metadata: (role === "head" ? headMetadata : workerMetadata.get(role)) as ExtractedPod["metadata"],
        spec: podSpec,
    }));
}

/**
 * SidecarMode: the operator adds its default submitter container to the RayCluster's head template
 * (constructRayClusterForRayJob), before Pod construction appends the autoscaler.
 */
function withSidecarSubmitter(clusterSpec: RayClusterSpec | undefined): RayClusterSpec | undefined {
    const template = clusterSpec?.headGroupSpec?.template;
    const containers: unknown = template?.spec?.containers;
    if (!template || !Array.isArray(containers) || containers.length === 0) {
        return clusterSpec;
    }
    const submitter = { name: SUBMITTER_CONTAINER, image: template.spec.containers[0].image };
    return {
        ...clusterSpec!,
        headGroupSpec: { ...clusterSpec!.headGroupSpec, template: { ...template, spec: { ...template.spec, containers: [...template.spec.containers, submitter] } } },
    };
}

/**
 * RayJob: the cluster it creates (`rayClusterSpec`; absent with `clusterSelector`) and, in the default
 * K8sJobMode, the submitter Pod — `submitterPodTemplate`, or the operator's default container. In
 * SidecarMode the default submitter container runs inside the head Pod instead; HTTPMode and
 * InteractiveMode run no submitter.
 */
export function rayJobPods(spec: any): ExtractedPod[] | undefined {
    const mode = spec?.submissionMode ?? "K8sJobMode";
    const clusterSpec: RayClusterSpec | undefined = mode === "SidecarMode" ? withSidecarSubmitter(spec?.rayClusterSpec) : spec?.rayClusterSpec;
    const pods = rayClusterSpecPods(clusterSpec, "spec.rayClusterSpec") ?? [];
    const headImage = clusterSpec?.headGroupSpec?.template?.spec?.containers?.[0]?.image;
    if (mode === "K8sJobMode") {
        const template = spec?.submitterPodTemplate;
        pods.push(
            template?.spec
                ? { pod: "submitter", metadata: template.metadata, spec: template.spec }
                : { pod: "submitter", spec: { containers: [{ name: SUBMITTER_CONTAINER, image: headImage }], restartPolicy: "Never" } },
        );
    }
    return pods.length > 0 ? pods : undefined;
}
