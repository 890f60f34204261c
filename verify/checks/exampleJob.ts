/**
 * The tutorial's example job, through the Ray Jobs API: submit, poll until a terminal status or the time is
 * up (then stop it), and judge the status sequence. The verdict is pure; the runner only talks to the API.
 */

import { errorLine } from "../../lib/cli/errors";
import { tailLines } from "../../lib/text";
import { EXAMPLE_SCRIPT_PATH } from "../../model/ray";
import { JobDetails, JobStatus, RayJobsApi, TERMINAL_STATUSES } from "../ray/rayJobsClient";
import { PollOptions, pollUntil } from "../time/pollUntil";
import { CheckResult, checkResult } from "./checkResult";

export const EXAMPLE_ENTRYPOINT = `python ${EXAMPLE_SCRIPT_PATH}`;
export const LOG_TAIL_LINES = 20;

export interface JobRun {
    rayVersion: string;
    submissionId: string;
    /** The statuses seen, in order, each once per change. */
    statuses: JobStatus[];
    last: JobDetails;
    timedOut: boolean;
    /** Whether `/stop` confirmed stopping a job that ran out of time. */
    stopped?: boolean;
    /** The end of the job's logs, fetched when it did not succeed. */
    logsTail: string[];
    /** The exception that ended the first Python traceback in the logs: the job's own error, which Ray's
     * shutdown noise after it can push out of the tail. */
    firstError?: string;
    elapsedMs: number;
}

export type JobOutcome = "succeeded" | "failed" | "stopped" | "unfinished";

export function jobOutcome(statuses: readonly JobStatus[]): JobOutcome {
    const last = statuses[statuses.length - 1];
    if (last === "SUCCEEDED") return "succeeded";
    if (last === "FAILED") return "failed";
    if (last === "STOPPED") return "stopped";
    return "unfinished";
}

export function exampleJobResult(run: JobRun): CheckResult {
    const outcome = jobOutcome(run.statuses);
    const seconds = Math.round(run.elapsedMs / 1000);
    const data = { submissionId: run.submissionId, rayVersion: run.rayVersion, statuses: run.statuses, outcome, timedOut: run.timedOut, elapsedSeconds: seconds };
    const who = `${run.submissionId} (${EXAMPLE_ENTRYPOINT}, Ray ${run.rayVersion})`;
    if (outcome === "succeeded") return checkResult("job", "passed", `${who} SUCCEEDED after ${seconds}s`, [], data);
    const message = [...(run.last.message ? [`message: ${run.last.message}`] : []), ...(run.firstError ? [`error: ${run.firstError}`] : [])];
    const logs = run.logsTail.length > 0 ? [`last ${run.logsTail.length} log line(s):`, ...run.logsTail.map((line) => `  ${line}`)] : ["(the job wrote no logs)"];
    if (run.timedOut) {
        const stop = run.stopped ? "stopped it" : "could not confirm it stopped";
        return checkResult("job", "failed", `${who} still ${run.last.status} after ${seconds}s: timed out, ${stop}`, [...message, ...logs], data);
    }
    const errorType = run.last.error_type ? ` (${run.last.error_type})` : "";
    return checkResult("job", "failed", `${who} ended ${run.last.status}${errorType} after ${seconds}s`, [...message, ...logs], data);
}

export interface RunJobOptions extends PollOptions {
    onStatus?(status: JobStatus, details: JobDetails): void;
}

/** `RuntimeError: …`: the line that ends the first `Traceback (most recent call last):` block. */
export function firstTracebackError(logs: string): string | undefined {
    const lines = logs.split("\n");
    const start = lines.findIndex((line) => line.startsWith("Traceback (most recent call last):"));
    if (start < 0) return undefined;
    return lines.slice(start + 1).find((line) => line.trim() !== "" && !/^\s/.test(line));
}

async function fetchLogs(api: RayJobsApi, submissionId: string): Promise<Pick<JobRun, "logsTail" | "firstError">> {
    try {
        const logs = await api.logs(submissionId);
        const firstError = firstTracebackError(logs);
        return { logsTail: tailLines(logs, LOG_TAIL_LINES), ...(firstError ? { firstError } : {}) };
    } catch (error) {
        return { logsTail: [`(logs unavailable: ${errorLine(error)})`] };
    }
}

export async function runExampleJob(api: RayJobsApi, { onStatus, ...poll }: RunJobOptions): Promise<JobRun> {
    // The SDK asks for the version first; it also shows the dashboard answers.
    const { ray_version: rayVersion } = await api.version();
    const startedAt = poll.clock.now();
    const { submission_id: submissionId } = await api.submit({ entrypoint: EXAMPLE_ENTRYPOINT, metadata: { submitted_by: "kuberay-pod-security verify" } });
    const statuses: JobStatus[] = [];
    const { value: last, timedOut, elapsedMs } = await pollUntil({
        ...poll,
        startedAt,
        read: async () => {
            const details = await api.status(submissionId);
            if (statuses[statuses.length - 1] !== details.status) {
                statuses.push(details.status);
                onStatus?.(details.status, details);
            }
            return details;
        },
        isFinal: (details) => TERMINAL_STATUSES.has(details.status),
    });
    if (last.status === "SUCCEEDED") return { rayVersion, submissionId, statuses, last, timedOut: false, logsTail: [], elapsedMs };
    if (!timedOut) return { rayVersion, submissionId, statuses, last, timedOut: false, ...(await fetchLogs(api, submissionId)), elapsedMs };
    // Leave nothing running behind: a verify run must not keep the cluster busy.
    const stopped = await api.stop(submissionId).catch(() => false);
    return { rayVersion, submissionId, statuses, last, timedOut: true, stopped, ...(await fetchLogs(api, submissionId)), elapsedMs };
}
