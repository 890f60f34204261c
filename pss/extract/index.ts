/**
 * Finds the Pods a manifest makes the API server evaluate: the Pod itself, a workload's Pod template, or
 * the Pods the KubeRay operator builds from a RayCluster, RayJob or RayService. Everything else is skipped
 * with a reason.
 */

import { rayClusterSpecPods, rayJobPods } from "./ray";
import { Extraction, InvalidManifestError, Manifest } from "./types";
import { podOf, WORKLOAD_TEMPLATES, workloadTemplate } from "./workloads";

export type { ExtractedPod, Extraction } from "./types";

type Extractor = (manifest: Manifest) => Extraction;

function found(pods: ReturnType<typeof podOf> | undefined, what: string): Extraction {
    return pods ? { evaluated: true, pods } : { evaluated: false, reason: `no ${what} to evaluate` };
}

const RAY_EXTRACTORS: Record<string, Extractor> = {
    RayCluster: (m) => found(rayClusterSpecPods(m.spec, ["spec"]), "head group Pod template"),
    RayJob: (m) => found(rayJobPods(m.spec), "rayClusterSpec or submitter"),
    RayService: (m) => found(rayClusterSpecPods(m.spec?.rayClusterConfig, ["spec", "rayClusterConfig"]), "rayClusterConfig head group Pod template"),
};

function extractorFor(manifest: Manifest): Extractor | undefined {
    const kind = String(manifest.kind);
    const apiVersion = String(manifest.apiVersion ?? "");
    if (kind === "Pod") {
        return (m) => ({ evaluated: true, pods: podOf(m) });
    }
    if (kind in RAY_EXTRACTORS && apiVersion.startsWith("ray.io/")) {
        return RAY_EXTRACTORS[kind];
    }
    const templatePath = WORKLOAD_TEMPLATES[kind];
    return templatePath ? (m) => found(workloadTemplate(m, templatePath), "Pod template") : undefined;
}

export function extractPods(manifest: unknown): Extraction {
    if (typeof manifest !== "object" || manifest === null || Array.isArray(manifest)) {
        return { evaluated: false, reason: "not a Kubernetes object" };
    }
    const m = manifest as Manifest;
    if (typeof m.kind !== "string") {
        return { evaluated: false, reason: "no kind" };
    }
    const extractor = extractorFor(m);
    if (!extractor) {
        return { evaluated: false, reason: `${m.kind} does not carry a Pod` };
    }
    try {
        return extractor(m);
    } catch (error) {
        if (error instanceof InvalidManifestError) {
            return { evaluated: false, reason: error.message, invalid: true };
        }
        throw error;
    }
}
