/**
 * The chart's CustomResourceDefinitions as one set: picked from the rendered chart, named by a digest, and the
 * rule that refuses to put older CRDs over newer ones. Pure: the CRD set resource (crdSet.ts) applies
 * what this decides.
 */

import { shortHash } from "../../lib/hash";
import { compareVersions } from "../../lib/versions";

/** Set on every CRD this program applies: which chart version (and which CRD files) put it there. */
export const CHART_VERSION_ANNOTATION = "kuberay-pod-security.io/chart-version";
export const CRD_DIGEST_ANNOTATION = "kuberay-pod-security.io/crd-digest";

export interface CrdObject {
    apiVersion: string;
    kind: "CustomResourceDefinition";
    metadata: { name: string; annotations?: Record<string, string>; [key: string]: unknown };
    spec: { versions: Array<{ name: string; [key: string]: unknown }>; [key: string]: unknown };
    status?: { storedVersions?: string[]; conditions?: Array<{ type: string; status: string }> };
}

/** The CRDs among the rendered objects of a chart, by name. */
export function chartCrds(objects: unknown[]): CrdObject[] {
    return (objects as Array<Partial<CrdObject> | null>)
        .filter((object): object is CrdObject => object?.kind === "CustomResourceDefinition" && typeof object.metadata?.name === "string")
        .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
}

/** A short digest of the CRDs as rendered: equal digests, equal CRDs. */
export function crdDigest(crds: CrdObject[]): string {
    return shortHash(crds);
}

/** The CRD as this program applies it: the chart's, with the two annotations that say where it came from. */
export function annotatedCrd(crd: CrdObject, chartVersion: string, digest: string): CrdObject {
    const annotations = { ...crd.metadata.annotations, [CHART_VERSION_ANNOTATION]: chartVersion, [CRD_DIGEST_ANNOTATION]: digest };
    return { ...crd, metadata: { ...crd.metadata, annotations } };
}

/**
 * Why `ours` (from chart `chartVersion`) must not replace `existing` on the cluster, or undefined when it may:
 * the cluster's CRD was applied from a newer chart version, or it serves or has stored a version of the
 * resource that ours does not define (the API server would refuse to drop a stored version, and the objects of
 * a served one would become unreadable).
 */
export function newerCrdProblem(existing: CrdObject | undefined, ours: CrdObject, chartVersion: string): string | undefined {
    if (!existing) return undefined;
    const name = ours.metadata.name;
    const fix = "set operator.chartVersion to that chart version or later (CRDs are never downgraded: objects stored by the newer one could become unreadable)";
    const theirs = existing.metadata.annotations?.[CHART_VERSION_ANNOTATION];
    if (theirs !== undefined && compareVersions(theirs, chartVersion) > 0) {
        return `CRD ${name} on the cluster is from kuberay-operator chart ${theirs}, newer than ${chartVersion} (operator.chartVersion): ${fix}.`;
    }
    const ourVersions = new Set(ours.spec.versions.map((version) => version.name));
    const unknown = [...new Set([...(existing.spec?.versions ?? []).map((version) => version.name), ...(existing.status?.storedVersions ?? [])])].filter((version) => !ourVersions.has(version));
    if (unknown.length > 0) {
        const from = theirs === undefined ? "not applied by this program" : `from chart ${theirs}`;
        return `CRD ${name} on the cluster (${from}) has version(s) ${unknown.join(", ")} that kuberay-operator chart ${chartVersion} (operator.chartVersion) does not define: it is newer; ${fix}.`;
    }
    return undefined;
}
