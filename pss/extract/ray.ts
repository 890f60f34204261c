/**
 * The Pods the KubeRay operator creates for RayCluster, RayJob and RayService, as the operator's model builds
 * them (model/kuberay: injected `wait-gcs-ready` and `autoscaler` containers, RayJob submitters), after the
 * shape checks the CRD schema would make in a real cluster.
 */

import { FieldPath, RayClusterSpec } from "../../model/k8s/types";
import { OperatorPod, rayClusterPods } from "../../model/kuberay/operatorPods";
import { rayJobPods as operatorRayJobPods } from "../../model/kuberay/rayJobPods";
import { ExtractedPod, InvalidManifestError } from "./types";

/** Whether a cluster spec has what Pod construction starts from: a head template with containers. */
function hasHeadContainers(spec: RayClusterSpec | undefined): spec is RayClusterSpec {
    const containers: unknown = spec?.headGroupSpec?.template?.spec?.containers;
    return Array.isArray(containers) && containers.length > 0;
}

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

/** The operator's Pod as the checker sees it, its sources placed in the manifest (under `at`). */
function extracted(at: FieldPath): (pod: OperatorPod) => ExtractedPod {
    const under = (path: FieldPath): FieldPath => [...at, ...path];
    return ({ role, metadata, spec, source }) => ({
        pod: role,
        metadata: metadata as ExtractedPod["metadata"],
        spec,
        source: {
            specPath: under(source.specPath),
            containers: Object.fromEntries(Object.entries(source.containers ?? {}).map(([name, path]) => [name, under(path)])),
        },
    });
}

const dotted = (path: FieldPath) => path.join(".");

export function rayClusterSpecPods(spec: RayClusterSpec | undefined, at: FieldPath): ExtractedPod[] | undefined {
    if (!hasHeadContainers(spec)) {
        return undefined;
    }
    checkShape(spec, dotted(at));
    return rayClusterPods(spec).map(extracted(at));
}

/** RayJob: its cluster's Pods (when it declares one) and its submitter (by submission mode). */
export function rayJobPods(spec: any): ExtractedPod[] | undefined {
    const clusterSpec: RayClusterSpec | undefined = spec?.rayClusterSpec;
    const withCluster = hasHeadContainers(clusterSpec);
    if (withCluster) {
        checkShape(clusterSpec, "spec.rayClusterSpec");
    }
    const pods = operatorRayJobPods({
        submissionMode: spec?.submissionMode,
        rayClusterSpec: withCluster ? clusterSpec : undefined,
        submitterPodTemplate: spec?.submitterPodTemplate,
    }).map(extracted(["spec"]));
    return pods.length > 0 ? pods : undefined;
}
