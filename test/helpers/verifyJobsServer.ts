/**
 * A local stand-in for the Ray 2.52 dashboard's Jobs API (job_head.py): the same paths, JSON bodies, text
 * errors with Python tracebacks, 404 texts and status values. Each submitted job follows a script.
 */

import * as http from "http";
import { AddressInfo } from "net";
import { JobStatus } from "../../verify/ray/rayJobsClient";

export interface JobScript {
    /** Statuses returned by successive GETs; the last one repeats. */
    statuses: JobStatus[];
    logs?: string;
    message?: string;
    errorType?: string;
}

export interface FakeJobsServer {
    url: string;
    /** Every request, as "METHOD path". */
    requests: string[];
    /** Bodies of POST /api/jobs/. */
    submissions: Record<string, unknown>[];
    stopped: string[];
    close(): Promise<void>;
}

const SUBMIT_KEYS = ["entrypoint", "submission_id", "job_id", "runtime_env", "metadata", "entrypoint_num_cpus", "entrypoint_num_gpus", "entrypoint_memory", "entrypoint_resources"];

const DEFAULT_MESSAGES: Record<JobStatus, string> = {
    PENDING: "Job has not started yet.",
    RUNNING: "Job is currently running.",
    STOPPED: "Job was intentionally stopped.",
    SUCCEEDED: "Job finished successfully.",
    FAILED: "Job failed.",
};

function traceback(error: string): string {
    return `Traceback (most recent call last):\n  File "/home/ray/anaconda3/lib/python3.10/site-packages/ray/dashboard/modules/job/utils.py", line 141, in parse_and_validate_request\n    return validate_request_type(json_data, request_type)\n${error}\n`;
}

/** Ids shaped like Ray's (`raysubmit_` and 16 characters without look-alikes), deterministic. */
function generatedId(n: number): string {
    const alphabet = "ABCDEFGHJKMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz123456789";
    let id = "";
    for (let i = 0; i < 16; i++) id += alphabet[(n * 7 + i * 31 + (i * i * 13)) % alphabet.length];
    return `raysubmit_${id}`;
}

export async function startFakeJobsServer(scriptFor: (entrypoint: string) => JobScript): Promise<FakeJobsServer> {
    const jobs = new Map<string, { script: JobScript; polls: number; entrypoint: string; stopped: boolean }>();
    const state: Omit<FakeJobsServer, "url" | "close"> = { requests: [], submissions: [], stopped: [] };
    let counter = 0;
    const server = http.createServer((req, res) => {
        let body = "";
        req.on("data", (chunk) => (body += chunk));
        req.on("end", () => {
            const path = req.url ?? "";
            state.requests.push(`${req.method} ${path}`);
            const json = (value: unknown) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(value));
            const text = (status: number, value: string) => res.writeHead(status, { "content-type": "text/plain" }).end(value);
            // Ray 2.52's dashboard refuses POSTs that look like browser traffic (http_server_head.py): any
            // Sec-Fetch-* header, which Node's fetch always sends, or a Mozilla user agent.
            const browserLike = Object.keys(req.headers).some((name) => name.startsWith("sec-fetch-")) || (req.headers["user-agent"] ?? "").startsWith("Mozilla");
            if (req.method === "POST" && browserLike) {
                return text(405, "Method Not Allowed for browser traffic.");
            }
            if (req.method === "GET" && path === "/api/version") {
                return json({ version: "4", ray_version: "2.52.0", ray_commit: "a1b2c3d4e5f6", session_name: "session_2025-06-02_09-10-11_123456_1" });
            }
            if (req.method === "POST" && path === "/api/jobs/") {
                const request = JSON.parse(body) as Record<string, unknown>;
                const unknown = Object.keys(request).filter((key) => !SUBMIT_KEYS.includes(key));
                if (typeof request.entrypoint !== "string" || unknown.length > 0) {
                    return text(400, traceback(`TypeError: JobSubmitRequest.__init__() got an unexpected keyword argument '${unknown[0] ?? "entrypoint"}'`));
                }
                state.submissions.push(request);
                const id = (request.submission_id as string | undefined) ?? generatedId(counter++);
                jobs.set(id, { script: scriptFor(request.entrypoint), polls: 0, entrypoint: request.entrypoint, stopped: false });
                return json({ job_id: id, submission_id: id });
            }
            const match = /^\/api\/jobs\/([^/]+)(\/logs|\/stop)?$/.exec(path);
            const id = match ? decodeURIComponent(match[1]) : "";
            const job = jobs.get(id);
            if (!match || !job) return text(404, `Job ${id} does not exist`);
            if (req.method === "GET" && !match[2]) {
                const { statuses } = job.script;
                const status = job.stopped ? "STOPPED" : statuses[Math.min(job.polls++, statuses.length - 1)];
                return json({
                    type: "SUBMISSION",
                    job_id: null,
                    submission_id: id,
                    driver_info: null,
                    status,
                    entrypoint: job.entrypoint,
                    message: status === "FAILED" && job.script.message ? job.script.message : DEFAULT_MESSAGES[status],
                    error_type: status === "FAILED" ? (job.script.errorType ?? null) : null,
                    start_time: 1748855411000,
                    end_time: null,
                    metadata: {},
                    runtime_env: {},
                    driver_agent_http_address: "http://10.244.0.7:52365",
                    driver_node_id: "c0ffee",
                    driver_exit_code: status === "FAILED" ? 1 : null,
                });
            }
            if (req.method === "GET" && match[2] === "/logs") return json({ logs: job.script.logs ?? "" });
            if (req.method === "POST" && match[2] === "/stop") {
                job.stopped = true;
                state.stopped.push(id);
                return json({ stopped: true });
            }
            return text(405, "405: Method Not Allowed");
        });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return {
        ...state,
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        close: () => new Promise((resolve) => server.close(() => resolve())),
    };
}
