/**
 * The Pods the KubeRay operator creates for a RayJob (ray-operator/controllers/ray/rayjob_controller.go and
 * common/job.go, v1.1–v1.7): the RayCluster it creates from `rayClusterSpec` (none with `clusterSelector`)
 * and, by submission mode, where `ray job submit` runs:
 * - K8sJobMode (the default): a submitter Pod, `submitterPodTemplate` or the operator's default container;
 * - SidecarMode: the default submitter container added to the head Pod's template (constructRayClusterForRayJob),
 *   before Pod construction appends the autoscaler;
 * - HTTPMode and InteractiveMode: no submitter.
 */

import { FieldPath, PodTemplateSpec, RayClusterSpec } from "../k8s/types";
import { OperatorModelOptions, OperatorPod, rayClusterPods, withMetadata } from "./operatorPods";

/** Container the operator runs `ray job submit` in; it has no securityContext of its own. */
export const SUBMITTER_CONTAINER = "ray-job-submitter";

export interface RayJobSpec {
    submissionMode?: string;
    rayClusterSpec?: RayClusterSpec;
    submitterPodTemplate?: PodTemplateSpec;
}

export function rayJobPods(spec: RayJobSpec, options: OperatorModelOptions = {}): OperatorPod[] {
    const mode = spec.submissionMode ?? "K8sJobMode";
    const clusterSpec = mode === "SidecarMode" && spec.rayClusterSpec ? withSidecarSubmitter(spec.rayClusterSpec) : spec.rayClusterSpec;
    const pods = clusterSpec ? rayClusterPods(clusterSpec, options).map((pod) => inRayClusterSpec(pod, mode)) : [];
    if (mode === "K8sJobMode") {
        const template = spec.submitterPodTemplate;
        const headImage = spec.rayClusterSpec?.headGroupSpec.template.spec.containers[0]?.image;
        pods.push(
            template?.spec
                ? { role: "submitter", ...withMetadata(template.metadata), spec: template.spec, source: { specPath: ["submitterPodTemplate", "spec"] } }
                : {
                      role: "submitter",
                      spec: { containers: [{ name: SUBMITTER_CONTAINER, image: headImage }], restartPolicy: "Never" },
                      // The default submitter: nothing of it is written; submitterPodTemplate is where it would be.
                      source: { specPath: ["submitterPodTemplate"], containers: { [SUBMITTER_CONTAINER]: ["submitterPodTemplate"] } },
                  },
        );
    }
    return pods;
}

/** A cluster Pod's source, from the RayJob's spec: under rayClusterSpec; a sidecar submitter comes of submissionMode. */
function inRayClusterSpec(pod: OperatorPod, mode: string): OperatorPod {
    const under = (path: FieldPath): FieldPath => ["rayClusterSpec", ...path];
    const containers = Object.fromEntries(Object.entries(pod.source.containers ?? {}).map(([name, path]) => [name, under(path)]));
    if (mode === "SidecarMode" && pod.role === "head") containers[SUBMITTER_CONTAINER] = ["submissionMode"];
    return { ...pod, source: { specPath: under(pod.source.specPath), containers } };
}

function withSidecarSubmitter(clusterSpec: RayClusterSpec): RayClusterSpec {
    const template = clusterSpec.headGroupSpec.template;
    const submitter = { name: SUBMITTER_CONTAINER, image: template.spec.containers[0]?.image };
    return {
        ...clusterSpec,
        headGroupSpec: { ...clusterSpec.headGroupSpec, template: { ...template, spec: { ...template.spec, containers: [...template.spec.containers, submitter] } } },
    };
}
