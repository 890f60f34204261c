/**
 * The five checks, in the tutorial's order, each reporting progress as it goes. All I/O comes in through
 * VerifyDeps, so the whole run can be driven without a cluster.
 */

import { errorLine } from "../../lib/cli/errors";
import { HEAD_PORTS } from "../../model/ray";
import { AuditLogInput } from "../audit/auditLogSource";
import { sourceLabel } from "../audit/auditVerdict";
import { AuditLogUnreadable, readAuditLogs } from "../audit/readAuditLog";
import { auditResult, unreadableAuditResult } from "../checks/auditViolations";
import { CheckId, CheckResult, checkResult, CHECK_TITLES } from "../checks/checkResult";
import { exampleJobResult, EXAMPLE_ENTRYPOINT, runExampleJob } from "../checks/exampleJob";
import { PIP_COMMAND, pipResult } from "../checks/pipInstall";
import { podsResult, podsVerdict } from "../checks/podsRunning";
import { expectedWorkers } from "../checks/rayCluster";
import { readinessResult } from "../checks/readiness";
import { waitForRayCluster } from "../checks/waitForRayCluster";
import { ClusterApi } from "../kube/clusterApi";
import { PodLike, RayClusterLike } from "../../model/k8s/types";
import { RayJobsApi } from "../ray/rayJobsClient";
import { VerifyReport } from "../report/checklist";
import { VerifyTarget } from "../stack/stackOutputs";
import { Clock } from "../time/clock";

export interface VerifyOptions {
    /** Bound on each wait: RayCluster readiness, the example job, pip. */
    timeoutSeconds: number;
    readinessPollMs?: number;
    jobPollMs?: number;
}

export interface VerifyDeps {
    cluster: ClusterApi;
    /** The audit log's files (a rotated set) or the kind node's log, opened when the check runs; empty when none is known. */
    auditLogs(): AuditLogInput[];
    jobsClient(baseUrl: string): RayJobsApi;
    clock: Clock;
    progress(line: string): void;
}

const STEPS: CheckId[] = ["raycluster", "pods", "audit", "job", "pip"];
const INDENT = "      ";
const NO_HEAD = "not run: no head Pod is Running";

/** What one run knows, and what the later checks learn from the earlier ones. */
interface Run {
    target: VerifyTarget;
    options: VerifyOptions;
    deps: VerifyDeps;
    timeoutMs: number;
    rayCluster?: RayClusterLike;
    head?: PodLike;
}

function step(run: Run, id: CheckId, what: string): void {
    run.deps.progress(`[${STEPS.indexOf(id) + 1}/${STEPS.length}] ${CHECK_TITLES[id]}: ${what}`);
}

/** A check that throws (API error, network) fails with the error's line; the next checks still run. */
async function guarded(id: CheckId, check: () => Promise<CheckResult>): Promise<CheckResult> {
    try {
        return await check();
    } catch (error) {
        return checkResult(id, "failed", errorLine(error));
    }
}

async function rayClusterReady(run: Run): Promise<CheckResult> {
    const { namespace, rayClusterName } = run.target;
    step(run, "raycluster", `waiting up to ${run.options.timeoutSeconds}s for ${namespace}/${rayClusterName}`);
    return guarded("raycluster", async () => {
        const wait = await waitForRayCluster(() => run.deps.cluster.getRayCluster(namespace, rayClusterName), {
            clock: run.deps.clock,
            timeoutMs: run.timeoutMs,
            pollMs: run.options.readinessPollMs ?? 3000,
            onProgress: (summary) => run.deps.progress(`${INDENT}${summary}`),
        });
        run.rayCluster = wait.rayCluster;
        return readinessResult(wait, run.options.timeoutSeconds);
    });
}

async function podsRunning(run: Run): Promise<CheckResult> {
    const { namespace, rayClusterName } = run.target;
    step(run, "pods", `listing the Pods labelled ray.io/cluster=${rayClusterName} in ${namespace}`);
    return guarded("pods", async () => {
        const verdict = podsVerdict(await run.deps.cluster.listRayPods(namespace, rayClusterName), expectedWorkers(run.rayCluster));
        run.head = verdict.head;
        return podsResult(verdict);
    });
}

async function auditLogClean(run: Run): Promise<CheckResult> {
    const auditLogs = run.deps.auditLogs();
    if (auditLogs.length === 0) {
        step(run, "audit", "no audit log for this cluster");
        return checkResult("audit", "skipped", "not run: this cluster's audit log is not reachable; pass a copy with --audit-log FILE");
    }
    const source = auditLogs.map((log) => log.label).join(", ");
    step(run, "audit", `reading ${source}`);
    return guarded("audit", async () => {
        try {
            return auditResult(await readAuditLogs(auditLogs, run.target.namespace), source);
        } catch (error) {
            if (error instanceof AuditLogUnreadable) return unreadableAuditResult(sourceLabel(auditLogs.map((log) => log.label)), error.message);
            throw error;
        }
    });
}

async function exampleJob(run: Run, headName: string): Promise<CheckResult> {
    const { cluster, clock, progress } = run.deps;
    const port = HEAD_PORTS.dashboard;
    step(run, "job", `port-forwarding to ${headName}:${port}, submitting \`${EXAMPLE_ENTRYPOINT}\``);
    return guarded("job", async () => {
        const forwarded = await cluster.portForward(run.target.namespace, headName, port);
        try {
            const job = await runExampleJob(run.deps.jobsClient(`http://127.0.0.1:${forwarded.port}`), {
                clock,
                timeoutMs: run.timeoutMs,
                pollMs: run.options.jobPollMs ?? 2000,
                onStatus: (status, details) => progress(`${INDENT}${details.submission_id ?? "job"} ${status}`),
            });
            return exampleJobResult(job);
        } catch (error) {
            // The HTTP error ("socket hang up") hides why: the port-forward's own error says it.
            const failure = forwarded.failure();
            throw failure ? new Error(`port-forward to ${headName}:${port} failed: ${failure}`) : error;
        } finally {
            await forwarded.close();
        }
    });
}

async function pipUnderRestricted(run: Run, headName: string): Promise<CheckResult> {
    step(run, "pip", `running \`${PIP_COMMAND.join(" ")}\` in ${headName}`);
    // KubeRay keeps the Ray container first in the head Pod.
    const container = run.head?.spec?.containers?.[0]?.name ?? "ray-head";
    return guarded("pip", async () =>
        pipResult(headName, await run.deps.cluster.exec(run.target.namespace, headName, container, PIP_COMMAND, run.timeoutMs), run.options.timeoutSeconds),
    );
}

function notRun(run: Run, id: CheckId): CheckResult {
    step(run, id, NO_HEAD);
    return checkResult(id, "skipped", NO_HEAD);
}

export async function runVerify(target: VerifyTarget, options: VerifyOptions, deps: VerifyDeps): Promise<VerifyReport> {
    const run: Run = { target, options, deps, timeoutMs: options.timeoutSeconds * 1000 };
    const checks = [await rayClusterReady(run), await podsRunning(run), await auditLogClean(run)];
    // The job and pip run in the head Pod: without one Running, there is nothing to try.
    const headName = run.head?.metadata?.name;
    checks.push(headName ? await exampleJob(run, headName) : notRun(run, "job"));
    checks.push(headName ? await pipUnderRestricted(run, headName) : notRun(run, "pip"));
    return { ...(target.stack ? { stack: target.stack } : {}), namespace: target.namespace, rayClusterName: target.rayClusterName, checks };
}
