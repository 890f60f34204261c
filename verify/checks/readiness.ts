/** RayCluster status → ready, keep waiting, or failed for good. Pure. */

import { nonBlankLines } from "../../lib/text";
import { RayClusterLike } from "../../model/k8s/types";
import { CheckResult, checkResult } from "./checkResult";
import { condition, isTrue } from "./rayCluster";

export interface Readiness {
    verdict: "ready" | "pending" | "failed";
    summary: string;
    /** The ReplicaFailure condition, when set: where the operator reports a refused Pod. */
    replicaFailure?: { reason: string; message: string };
}

/** KubeRay joins the reason and the API error with a newline: keep the API error. */
function replicaFailureOf(rayCluster: RayClusterLike): Readiness["replicaFailure"] {
    const failure = condition(rayCluster, "ReplicaFailure");
    if (failure?.status !== "True") return undefined;
    const reason = failure.reason ?? "";
    const lines = nonBlankLines(failure.message ?? "");
    const message = (lines[0] === reason ? lines.slice(1) : lines).join(" ");
    return { reason, message };
}

export function describeStatus(rayCluster: RayClusterLike): string {
    const status = rayCluster.status ?? {};
    const parts = [`state ${status.state || "(none)"}`];
    for (const type of ["RayClusterProvisioned", "HeadPodReady"]) {
        const c = condition(rayCluster, type);
        if (c) parts.push(`${type} ${c.status}${c.status !== "True" && c.reason ? ` (${c.reason})` : ""}`);
    }
    if (typeof status.desiredWorkerReplicas === "number") {
        parts.push(`${status.readyWorkerReplicas ?? 0}/${status.desiredWorkerReplicas} worker(s) ready`);
    }
    return parts.join(", ");
}

export function rayClusterReadiness(rayCluster: RayClusterLike | undefined): Readiness {
    if (!rayCluster) return { verdict: "failed", summary: "the RayCluster does not exist (was `pulumi up` run for this stack?)" };
    const replicaFailure = replicaFailureOf(rayCluster);
    const withFailure = replicaFailure ? { replicaFailure } : {};
    if (rayCluster.status?.state === "suspended" || isTrue(rayCluster, "RayClusterSuspended") || isTrue(rayCluster, "RayClusterSuspending") || rayCluster.spec?.suspend) {
        return { verdict: "failed", summary: "the RayCluster is suspended (spec.suspend: true); resume it before verifying", ...withFailure };
    }
    // A Pod Security refusal repeats on every retry until the spec or the namespace labels change: no point
    // waiting. Other refusals (a quota) may clear, so those wait for the bound.
    if (replicaFailure && /violates PodSecurity "/.test(replicaFailure.message)) {
        return { verdict: "failed", summary: `ReplicaFailure (${replicaFailure.reason}): ${replicaFailure.message}`, replicaFailure };
    }
    const summary = describeStatus(rayCluster);
    if (rayCluster.status?.state === "ready" || isTrue(rayCluster, "RayClusterProvisioned")) {
        return { verdict: "ready", summary, ...withFailure };
    }
    return { verdict: "pending", summary: replicaFailure ? `${summary}, ReplicaFailure (${replicaFailure.reason})` : summary, ...withFailure };
}

export interface ReadinessWait {
    readiness: Readiness;
    timedOut: boolean;
    waitedMs: number;
}

export function readinessResult(wait: ReadinessWait, timeoutSeconds: number): CheckResult {
    const { readiness } = wait;
    const details = readiness.replicaFailure && readiness.verdict !== "failed" ? [`ReplicaFailure (${readiness.replicaFailure.reason}): ${readiness.replicaFailure.message}`] : [];
    const data = { verdict: readiness.verdict, timedOut: wait.timedOut, waitedSeconds: Math.round(wait.waitedMs / 1000), replicaFailure: readiness.replicaFailure ?? null };
    if (readiness.verdict === "ready") return checkResult("raycluster", "passed", readiness.summary, details, data);
    if (readiness.verdict === "failed") return checkResult("raycluster", "failed", readiness.summary, details, data);
    return checkResult("raycluster", "failed", `not ready after ${timeoutSeconds}s: ${readiness.summary}`, details, data);
}
