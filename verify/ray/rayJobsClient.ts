/**
 * Client for the Ray Jobs REST API served by the dashboard (Ray 2.52, `dashboard/modules/job/job_head.py`).
 * Wire format as the server defines it: snake_case JSON, `POST /api/jobs/` with the trailing slash, errors as
 * plain text (often a Python traceback) with a non-2xx status, and no browser-like headers on a POST (see
 * `exchange`).
 */

import * as http from "http";
import * as https from "https";
import { nonBlankLines } from "../../lib/text";

export const JOB_STATUSES = ["PENDING", "RUNNING", "STOPPED", "SUCCEEDED", "FAILED"] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export const TERMINAL_STATUSES: ReadonlySet<JobStatus> = new Set<JobStatus>(["STOPPED", "SUCCEEDED", "FAILED"]);

/** `JobSubmitRequest`; the server rejects unknown keys with 400, so only these may be sent. */
export interface JobSubmitRequest {
    entrypoint: string;
    submission_id?: string;
    runtime_env?: Record<string, unknown>;
    metadata?: Record<string, string>;
    entrypoint_num_cpus?: number;
    entrypoint_num_gpus?: number;
    entrypoint_memory?: number;
    entrypoint_resources?: Record<string, number>;
}

export interface JobSubmitResponse {
    job_id: string | null;
    submission_id: string;
}

/** `JobDetails` (the fields this tool reads; the server sends more). */
export interface JobDetails {
    status: JobStatus;
    message?: string | null;
    error_type?: string | null;
    submission_id?: string | null;
    job_id?: string | null;
    entrypoint?: string;
    start_time?: number | null;
    end_time?: number | null;
    driver_exit_code?: number | null;
}

export interface VersionResponse {
    version: string;
    ray_version: string;
    ray_commit: string;
    session_name: string;
}

export interface RayJobsApi {
    version(): Promise<VersionResponse>;
    submit(request: JobSubmitRequest): Promise<JobSubmitResponse>;
    status(submissionId: string): Promise<JobDetails>;
    logs(submissionId: string): Promise<string>;
    stop(submissionId: string): Promise<boolean>;
}

export class RayJobsError extends Error {
    constructor(
        message: string,
        readonly httpStatus?: number,
    ) {
        super(message);
    }
}

/**
 * One line for an error body. A Python traceback's useful line is its last exception line: the head wraps
 * the agent's traceback in its own (`RuntimeError: Request failed with status code 400: Traceback …` and a
 * final "."), so the innermost exception is the last line that names one.
 */
export function errorBodyLine(body: string): string {
    const lines = nonBlankLines(body).map((line) => line.trim());
    let line = lines[0] ?? "";
    if (lines.some((l) => l.includes("Traceback (most recent call last)"))) {
        const exceptions = lines.filter((l) => /^[\w.]+(Error|Exception|Exit|Interrupt)\b/.test(l));
        line = exceptions[exceptions.length - 1] ?? lines[lines.length - 1];
    }
    return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

/**
 * One request with Node's http module, not fetch: fetch (undici) always sends `Sec-Fetch-Mode: cors`, and
 * the dashboard refuses every POST or PUT that carries a `Sec-Fetch-*` header or a `Mozilla…` user agent as
 * browser traffic (`405 Method Not Allowed for browser traffic.`, `http_server_head.py`), so submit and stop
 * would fail against a real Ray. No keep-alive: one short connection per call, nothing left open.
 */
function exchange(method: "GET" | "POST", url: URL, body: string | undefined, timeoutMs: number): Promise<{ status: number; text: string }> {
    return new Promise((resolve, reject) => {
        const headers: http.OutgoingHttpHeaders = { accept: "application/json", "user-agent": "kuberay-pod-security-verify" };
        if (body !== undefined) Object.assign(headers, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
        const fail = (error: Error) => {
            clearTimeout(timer);
            reject(error);
        };
        const request = (url.protocol === "https:" ? https : http).request(url, { method, headers, agent: false }, (response) => {
            const chunks: Buffer[] = [];
            response.on("data", (chunk: Buffer) => chunks.push(chunk));
            response.on("error", fail);
            response.on("end", () => {
                clearTimeout(timer);
                resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") });
            });
        });
        const timer = setTimeout(() => request.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
        request.on("error", fail);
        request.end(body);
    });
}

export class RayJobsClient implements RayJobsApi {
    constructor(
        private readonly baseUrl: string,
        private readonly requestTimeoutMs = 30_000,
    ) {}

    version(): Promise<VersionResponse> {
        return this.request("GET", "/api/version");
    }

    submit(request: JobSubmitRequest): Promise<JobSubmitResponse> {
        return this.request("POST", "/api/jobs/", request);
    }

    async status(submissionId: string): Promise<JobDetails> {
        const details = await this.request<JobDetails>("GET", `/api/jobs/${encodeURIComponent(submissionId)}`);
        if (!(JOB_STATUSES as readonly string[]).includes(details.status)) {
            throw new RayJobsError(`job ${submissionId} has an unknown status ${JSON.stringify(details.status)}`);
        }
        return details;
    }

    async logs(submissionId: string): Promise<string> {
        return (await this.request<{ logs: string }>("GET", `/api/jobs/${encodeURIComponent(submissionId)}/logs`)).logs ?? "";
    }

    async stop(submissionId: string): Promise<boolean> {
        return (await this.request<{ stopped: boolean }>("POST", `/api/jobs/${encodeURIComponent(submissionId)}/stop`)).stopped === true;
    }

    private async request<T>(method: "GET" | "POST", path: string, body?: unknown): Promise<T> {
        const what = `${method} ${path}`;
        let status: number;
        let text: string;
        try {
            ({ status, text } = await exchange(method, new URL(path, this.baseUrl), body === undefined ? undefined : JSON.stringify(body), this.requestTimeoutMs));
        } catch (error) {
            throw new RayJobsError(`${what}: ${(error as Error).message}`);
        }
        if (status < 200 || status > 299) throw new RayJobsError(`${what}: HTTP ${status}: ${errorBodyLine(text)}`, status);
        try {
            return JSON.parse(text) as T;
        } catch {
            throw new RayJobsError(`${what}: the response is not JSON: ${errorBodyLine(text)}`);
        }
    }
}
