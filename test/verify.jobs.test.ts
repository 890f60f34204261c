import * as net from "net";
import { afterEach, describe, expect, it } from "vitest";
import { EXAMPLE_ENTRYPOINT, exampleJobResult, jobOutcome, runExampleJob } from "../verify/checks/exampleJob";
import { errorBodyLine, RayJobsClient, RayJobsError } from "../verify/ray/rayJobsClient";
import { renderChecklist } from "../verify/report/checklist";
import { EXAMPLE_JOB_LOGS, fakeClock } from "./helpers/verifyFakes";
import { FakeJobsServer, JobScript, startFakeJobsServer } from "./helpers/verifyJobsServer";

let server: FakeJobsServer | undefined;
afterEach(async () => {
    await server?.close();
    server = undefined;
});

async function serve(script: JobScript) {
    server = await startFakeJobsServer(() => script);
    return { server, client: new RayJobsClient(server.url, 5_000) };
}

const FAILED_LOGS = [
    ...Array.from({ length: 30 }, (_, i) => `(RayTrainWorker pid=412) [${i}]\ttrain-logloss:0.4`),
    "Traceback (most recent call last):",
    '  File "/home/ray/samples/xgboost_example.py", line 88, in <module>',
    "ModuleNotFoundError: No module named 'xgboost'",
    "",
].join("\n");

describe("Ray Jobs client, on the wire", () => {
    it("submits, polls, reads logs and stops with the Jobs API's paths and bodies", async () => {
        const { server, client } = await serve({ statuses: ["PENDING", "RUNNING"], logs: "hello\n" });
        expect((await client.version()).ray_version).toBe("2.52.0");
        const submitted = await client.submit({ entrypoint: EXAMPLE_ENTRYPOINT, metadata: { submitted_by: "test" } });
        expect(submitted.submission_id).toMatch(/^raysubmit_/);
        expect(submitted.job_id).toBe(submitted.submission_id);
        expect((await client.status(submitted.submission_id)).status).toBe("PENDING");
        expect((await client.status(submitted.submission_id)).status).toBe("RUNNING");
        expect(await client.logs(submitted.submission_id)).toBe("hello\n");
        expect(await client.stop(submitted.submission_id)).toBe(true);
        expect((await client.status(submitted.submission_id)).status).toBe("STOPPED");
        const id = submitted.submission_id;
        expect(server.requests).toEqual([
            "GET /api/version",
            "POST /api/jobs/",
            `GET /api/jobs/${id}`,
            `GET /api/jobs/${id}`,
            `GET /api/jobs/${id}/logs`,
            `POST /api/jobs/${id}/stop`,
            `GET /api/jobs/${id}`,
        ]);
        expect(server.submissions).toEqual([{ entrypoint: "python /home/ray/samples/xgboost_example.py", metadata: { submitted_by: "test" } }]);
    });

    it("turns error responses into one line: 404 text, and the last line of a traceback", async () => {
        const { client } = await serve({ statuses: ["RUNNING"] });
        await expect(client.status("raysubmit_nope")).rejects.toThrow(new RayJobsError("GET /api/jobs/raysubmit_nope: HTTP 404: Job raysubmit_nope does not exist", 404));
        await expect(client.submit({ entrypoint: "x", bogus: 1 } as never)).rejects.toThrow(
            "POST /api/jobs/: HTTP 400: TypeError: JobSubmitRequest.__init__() got an unexpected keyword argument 'bogus'",
        );
        const duplicate = [
            "Traceback (most recent call last):",
            '  File "/home/ray/anaconda3/lib/python3.10/site-packages/ray/dashboard/modules/job/job_head.py", line 386, in submit_job',
            "RuntimeError: Request failed with status code 400: Traceback (most recent call last):",
            '  File "/home/ray/anaconda3/lib/python3.10/site-packages/ray/dashboard/modules/job/job_manager.py", line 542, in submit_job',
            "ValueError: Job with submission_id a already exists. Please use a different submission_id.",
            ".",
        ].join("\n");
        expect(errorBodyLine(duplicate)).toBe("ValueError: Job with submission_id a already exists. Please use a different submission_id.");
        expect(errorBodyLine("No available agent to submit job, please try again later.")).toBe("No available agent to submit job, please try again later.");
    });

    it("reports a dashboard that does not answer", async () => {
        const closed = net.createServer();
        await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
        const port = (closed.address() as net.AddressInfo).port;
        await new Promise((resolve) => closed.close(resolve));
        await expect(new RayJobsClient(`http://127.0.0.1:${port}`).version()).rejects.toThrow(/^GET \/api\/version: .*ECONNREFUSED/);
    });
});

describe("the example job", () => {
    it("succeeds: status sequence PENDING → RUNNING → SUCCEEDED, no logs fetched", async () => {
        const { server, client } = await serve({ statuses: ["PENDING", "PENDING", "RUNNING", "RUNNING", "SUCCEEDED"], logs: EXAMPLE_JOB_LOGS });
        const clock = fakeClock();
        const seen: string[] = [];
        const run = await runExampleJob(client, { clock, timeoutMs: 600_000, pollMs: 2_000, onStatus: (s) => seen.push(s) });
        expect(run).toMatchObject({ rayVersion: "2.52.0", statuses: ["PENDING", "RUNNING", "SUCCEEDED"], timedOut: false, logsTail: [], elapsedMs: 8_000 });
        expect(seen).toEqual(["PENDING", "RUNNING", "SUCCEEDED"]);
        expect(server.requests.some((r) => r.endsWith("/logs"))).toBe(false);
        const result = exampleJobResult(run);
        expect(result.status).toBe("passed");
        expect(result.summary).toBe(`${run.submissionId} (python /home/ray/samples/xgboost_example.py, Ray 2.52.0) SUCCEEDED after 8s`);
    });

    it("fails: FAILED is reported with the message, the error type and the tail of the logs", async () => {
        const { client } = await serve({ statuses: ["PENDING", "RUNNING", "FAILED"], logs: FAILED_LOGS, message: "Job entrypoint command failed with exit code 1, last available logs (truncated to 20,000 chars):\nModuleNotFoundError", errorType: "JOB_ENTRYPOINT_COMMAND_ERROR" });
        const run = await runExampleJob(client, { clock: fakeClock(), timeoutMs: 600_000, pollMs: 2_000 });
        expect(run.statuses).toEqual(["PENDING", "RUNNING", "FAILED"]);
        expect(run.logsTail).toHaveLength(20);
        expect(run.logsTail[19]).toBe("ModuleNotFoundError: No module named 'xgboost'");
        const result = exampleJobResult(run);
        expect(result.status).toBe("failed");
        expect(result.summary).toMatch(/ended FAILED \(JOB_ENTRYPOINT_COMMAND_ERROR\) after 4s$/);
        const text = renderChecklist({ namespace: "pod-security", rayClusterName: "rc", checks: [result] });
        expect(text).toContain("    message: Job entrypoint command failed with exit code 1");
        expect(text).toContain("    last 20 log line(s):\n");
        expect(text).toContain("      ModuleNotFoundError: No module named 'xgboost'\n");
    });

    it("never finishes: timeout reported, the job stopped through /stop, logs tail shown", async () => {
        const { server, client } = await serve({ statuses: ["PENDING", "RUNNING"], logs: "still training\n" });
        const clock = fakeClock();
        const run = await runExampleJob(client, { clock, timeoutMs: 10_000, pollMs: 3_000 });
        expect(run).toMatchObject({ statuses: ["PENDING", "RUNNING"], timedOut: true, stopped: true, logsTail: ["still training"], elapsedMs: 10_000 });
        expect(clock.slept).toEqual([3_000, 3_000, 3_000, 1_000]);
        expect(server.stopped).toEqual([run.submissionId]);
        const result = exampleJobResult(run);
        expect(result.status).toBe("failed");
        expect(result.summary).toMatch(/still RUNNING after 10s: timed out, stopped it$/);
        expect(jobOutcome(run.statuses)).toBe("unfinished");
    });

    it("judges status sequences by their last status", () => {
        expect(jobOutcome([])).toBe("unfinished");
        expect(jobOutcome(["PENDING", "RUNNING", "STOPPED"])).toBe("stopped");
        expect(jobOutcome(["RUNNING", "SUCCEEDED"])).toBe("succeeded");
    });
});
