/**
 * verify's verdicts on a real Ray: a job that raises is reported FAILED with the end of its logs, and a job
 * that outlives its timeout is reported as timed out and is stopped.
 */

import * as fs from "fs";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { exampleJobResult, runExampleJob } from "../../verify/checks/exampleJob";
import { systemClock } from "../../verify/time/clock";
import { JobStatus, RayJobsClient } from "../../verify/ray/rayJobsClient";
import { submitting } from "./helpers/submission";
import { makeWorkDir, WorkDir } from "./helpers/workDir";

const FAILING_SCRIPT = `import ray

ray.init()
print("connected to", ray.get_runtime_context().get_node_id(), flush=True)
raise RuntimeError("the example job failed on purpose")
`;

const SLEEPING_SCRIPT = `import time

print("sleeping past the timeout", flush=True)
time.sleep(600)
`;

async function waitForStatus(client: RayJobsClient, submissionId: string, wanted: JobStatus, timeoutMs: number): Promise<JobStatus> {
    const deadline = Date.now() + timeoutMs;
    let status: JobStatus;
    do {
        status = (await client.status(submissionId)).status;
        if (status === wanted) break;
        await new Promise((resolve) => setTimeout(resolve, 500));
    } while (Date.now() < deadline);
    return status;
}

// The Ray head test/example/globalSetup.ts started for this suite.
const head = inject("rayHead");

describe("verify's example-job verdicts, on a real Ray", () => {
    let client: RayJobsClient;
    let work: WorkDir;
    beforeAll(() => {
        client = new RayJobsClient(head.dashboardUrl);
        work = makeWorkDir();
    });
    afterAll(() => work?.remove());

    it("reports a job whose script raises as FAILED, naming its exception, with the tail of its logs", async () => {
        const script = work.write("fails.py", FAILING_SCRIPT);
        const run = await runExampleJob(submitting(client, { entrypoint: `python ${script}` }), { clock: systemClock, timeoutMs: 120_000, pollMs: 500 });
        const result = exampleJobResult(run);

        expect(run.timedOut).toBe(false);
        expect(run.statuses.at(-1)).toBe("FAILED");
        expect(result.status).toBe("failed");
        expect(result.summary).toMatch(/ ended FAILED \(JOB_ENTRYPOINT_COMMAND_ERROR\) after \d+s$/);
        expect(result.details[0]).toMatch(/^message: Job entrypoint command failed with exit code 1/);
        expect(result.details).toContain(`last ${run.logsTail.length} log line(s):`);
        // Named even when Ray's shutdown noise after it pushes it out of the tail (seen on this machine).
        expect(run.firstError).toBe("RuntimeError: the example job failed on purpose");
        expect(result.details[1]).toBe("error: RuntimeError: the example job failed on purpose");

    });

    it("reports a job that outlives its timeout as timed out, and stops it", async () => {
        const script = work.write("sleeps.py", SLEEPING_SCRIPT);
        const run = await runExampleJob(submitting(client, { entrypoint: `python ${script}` }), { clock: systemClock, timeoutMs: 8_000, pollMs: 500 });
        const result = exampleJobResult(run);

        expect(run.timedOut).toBe(true);
        expect(run.stopped).toBe(true);
        expect(result.status).toBe("failed");
        expect(result.summary).toMatch(/ still (PENDING|RUNNING) after \d+s: timed out, stopped it$/);
        // Stopping is asynchronous: the supervisor kills the entrypoint, then records STOPPED.
        expect(await waitForStatus(client, run.submissionId, "STOPPED", 30_000)).toBe("STOPPED");
        const sleepers = fs
            .readdirSync("/proc")
            .filter((pid) => /^\d+$/.test(pid))
            .filter((pid) => {
                try {
                    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(script);
                } catch {
                    return false;
                }
            });
        expect(sleepers, "the stopped job's process is still running").toEqual([]);
    });
});
