/**
 * The Pods the KubeRay operator creates for RayCluster, RayJob and RayService, modelled by
 * components/kuberay/operatorPods.ts (injected `wait-gcs-ready` and `autoscaler` containers included).
 */

import { rayClusterPods } from "../../components/kuberay/operatorPods";
import { RayClusterSpec } from "../../components/k8s/types";
import { ExtractedPod } from "./types";

/** Container the operator runs `ray job submit` in; it has no securityContext of its own. */
export const SUBMITTER_CONTAINER = "ray-job-submitter";

export function rayClusterSpecPods(spec: RayClusterSpec | undefined): ExtractedPod[] | undefined {
    if (!spec?.headGroupSpec?.template?.spec?.containers?.length) {
        return undefined;
    }
    const headMetadata = spec.headGroupSpec.template.metadata;
    const workerMetadata = new Map((spec.workerGroupSpecs ?? []).map((group) => [`worker/${group.groupName}`, group.template?.metadata]));
    return rayClusterPods(spec).map(({ role, spec: podSpec }) => ({
        pod: role,
        metadata: (role === "head" ? headMetadata : workerMetadata.get(role)) as ExtractedPod["metadata"],
        spec: podSpec,
    }));
}

/**
 * RayJob: the cluster it creates (`rayClusterSpec`; absent with `clusterSelector`) and, in the default
 * K8sJobMode, the submitter Pod — `submitterPodTemplate`, or the operator's default container. In
 * SidecarMode the default submitter container runs inside the head Pod instead; HTTPMode and
 * InteractiveMode run no submitter.
 */
export function rayJobPods(spec: any): ExtractedPod[] | undefined {
    const clusterSpec: RayClusterSpec | undefined = spec?.rayClusterSpec;
    const pods = rayClusterSpecPods(clusterSpec) ?? [];
    const mode = spec?.submissionMode ?? "K8sJobMode";
    const headImage = clusterSpec?.headGroupSpec?.template?.spec?.containers?.[0]?.image;
    if (mode === "K8sJobMode") {
        const template = spec?.submitterPodTemplate;
        pods.push(
            template?.spec
                ? { pod: "submitter", metadata: template.metadata, spec: template.spec }
                : { pod: "submitter", spec: { containers: [{ name: SUBMITTER_CONTAINER, image: headImage }], restartPolicy: "Never" } },
        );
    } else if (mode === "SidecarMode") {
        const head = pods.find((pod) => pod.pod === "head");
        if (head) {
            head.spec = { ...head.spec, containers: [...head.spec.containers, { name: SUBMITTER_CONTAINER, image: headImage }] };
        }
    }
    return pods.length > 0 ? pods : undefined;
}
