/** The RayCluster's Pods → is the head Running, and are the expected workers? Pure. */

import { CheckResult, checkResult } from "./checkResult";
import { PodLike } from "../../model/k8s/types";

export const NODE_TYPE_LABEL = "ray.io/node-type";
export const GROUP_LABEL = "ray.io/group";

export interface PodsVerdict {
    ok: boolean;
    /** The Running head Pod, if any: the job and pip checks need it. */
    head?: PodLike;
    workersRunning: number;
    /** Undefined when the RayCluster could not be read: the check cannot pass then. */
    workersExpected: number | undefined;
    summary: string;
    details: string[];
}

const isRunning = (pod: PodLike) => pod.status?.phase === "Running";

function describePod(pod: PodLike): string {
    const waiting = pod.status?.containerStatuses?.map((c) => c.state?.waiting?.reason ?? c.state?.terminated?.reason).find(Boolean);
    const reason = waiting ?? pod.status?.reason;
    const group = pod.metadata?.labels?.[GROUP_LABEL];
    return `${pod.metadata?.name ?? "?"}${group ? ` (${group})` : ""} ${pod.status?.phase ?? "Unknown"}${reason ? ` (${reason})` : ""}`;
}

export function podsVerdict(allPods: readonly PodLike[], workersExpected: number | undefined): PodsVerdict {
    // A terminating Pod is on its way out and does not count.
    const pods = allPods.filter((pod) => !pod.metadata?.deletionTimestamp);
    const heads = pods.filter((pod) => pod.metadata?.labels?.[NODE_TYPE_LABEL] === "head");
    const workers = pods.filter((pod) => pod.metadata?.labels?.[NODE_TYPE_LABEL] === "worker");
    const head = heads.find(isRunning);
    const workersRunning = workers.filter(isRunning).length;
    const ok = head !== undefined && workersExpected !== undefined && workersRunning >= workersExpected;
    const headText = head ? `head ${head.metadata?.name} Running` : heads.length > 0 ? `head ${describePod(heads[0])}` : "no head Pod";
    const summary =
        workersExpected === undefined
            ? `${headText}, ${workersRunning} worker(s) Running; expected count unknown (the RayCluster could not be read)`
            : `${headText}, ${workersRunning}/${workersExpected} worker(s) Running`;
    const details = pods.filter((pod) => !isRunning(pod)).map((pod) => `not running: ${describePod(pod)}`);
    if (pods.length === 0) details.push("no Pods exist: the operator could not create them (see the RayCluster's ReplicaFailure and the audit log)");
    return { ok, head, workersRunning, workersExpected, summary, details };
}

export function podsResult(verdict: PodsVerdict): CheckResult {
    return checkResult("pods", verdict.ok ? "passed" : "failed", verdict.summary, verdict.details, {
        head: verdict.head?.metadata?.name ?? null,
        workersRunning: verdict.workersRunning,
        workersExpected: verdict.workersExpected ?? null,
    });
}
