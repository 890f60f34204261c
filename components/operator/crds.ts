/**
 * The chart's CustomResourceDefinitions as one set: picked from the rendered chart, named by a digest, and the
 * rule that refuses to put older CRDs over newer ones. Pure: the CRD set resource (crdSetProvider.ts) applies
 * what this decides.
 */

import { createHash } from "crypto";
import * as path from "path";

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
    return createHash("sha256").update(JSON.stringify(crds)).digest("hex").slice(0, 16);
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

/** Compares dotted versions numerically, part by part (`1.10.0` > `1.9.1`); a pre-release sorts before its release. */
export function compareVersions(a: string, b: string): number {
    const parse = (version: string) => {
        const [core, pre] = version.replace(/^v/, "").split("-", 2);
        return { parts: core.split(".").map((part) => Number.parseInt(part, 10) || 0), pre };
    };
    const [x, y] = [parse(a), parse(b)];
    for (let i = 0; i < Math.max(x.parts.length, y.parts.length); i++) {
        const difference = (x.parts[i] ?? 0) - (y.parts[i] ?? 0);
        if (difference !== 0) return Math.sign(difference);
    }
    if (x.pre === y.pre) return 0;
    if (x.pre === undefined) return 1;
    if (y.pre === undefined) return -1;
    return x.pre < y.pre ? -1 : 1;
}

/** Where the program keeps rendered CRDs for the CRD set: $XDG_CACHE_HOME (absolute) or ~/.cache, as kind's state. */
export function crdCacheDir(env: { home: string; xdgCacheHome?: string }): string {
    const cacheHome = env.xdgCacheHome && path.isAbsolute(env.xdgCacheHome) ? env.xdgCacheHome : path.join(env.home, ".cache");
    return path.join(cacheHome, "kuberay-pod-security", "crds");
}
