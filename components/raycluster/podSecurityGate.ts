/**
 * Pod Security Admission never evaluates a RayCluster: it refuses, later and silently, the Pods the
 * operator creates from it. This gate evaluates those Pods up front, with the API server's own words.
 */

import { Level } from "../../model/podSecurity";
import { RayCluster } from "../../model/k8s/types";
import { evaluateManifest } from "../../pss/evaluateManifest";

export interface PodSecurityGate {
    /** The level the namespace enforces. */
    level: Level;
    /** The version of that level the namespace enforces: `latest` or `v1.N`. */
    version: string;
    /** Stop when a Pod would be refused (true), or only warn (false: reproduce the tutorial's Step 5.1). */
    failOnViolation: boolean;
}

/** One line per Pod that would be refused: `<role> Pod: violates PodSecurity "…": …`. */
export function refusedPods(manifest: RayCluster, level: Level, version: string): string[] {
    const verdict = evaluateManifest(manifest, level, version);
    if (!verdict.evaluated) {
        throw new Error(`cannot evaluate RayCluster ${manifest.metadata.name}: ${verdict.reason}`);
    }
    return verdict.pods.filter((pod) => !pod.allowed).map((pod) => `${pod.pod} Pod: ${pod.message}`);
}

export function podSecurityReport(manifest: RayCluster, namespace: string, refusals: string[], failing: boolean): string {
    return [
        `RayCluster "${manifest.metadata.name}" would have its Pods refused in namespace "${namespace}" ` +
            "(the API server never checks a RayCluster itself: the operator's Pods would just not appear):",
        ...refusals.map((line) => `  ${line}`),
        failing
            ? "Harden those containers, or set podSecurity.failOnViolation to false to deploy it anyway (tutorial Step 5.1)."
            : "Deploying it anyway (podSecurity.failOnViolation is false); `pulumi up` will not wait for it to become ready.",
    ].join("\n");
}
