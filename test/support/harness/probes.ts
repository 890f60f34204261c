/** Waiting on what the harness starts: an HTTP endpoint, a node's Ready condition. */

import * as https from "https";
import * as k8s from "@kubernetes/client-node";
import { ManagedProcess, waitFor } from "./processes";

/** GET over http(s) with optional client TLS; resolves with the body, rejects on non-2xx. */
export function httpGet(url: string, tls?: { ca: string; cert: string; key: string }): Promise<string> {
    return new Promise((resolve, reject) => {
        const request = (url.startsWith("https:") ? https : require("http")).get(url, { ...tls, timeout: 2000 }, (response: any) => {
            let body = "";
            response.setEncoding("utf8");
            response.on("data", (chunk: string) => (body += chunk));
            response.on("end", () => (response.statusCode < 300 ? resolve(body) : reject(new Error(`${url}: HTTP ${response.statusCode} ${body}`))));
        });
        request.on("error", reject);
        request.on("timeout", () => request.destroy(new Error(`${url}: timeout`)));
    });
}

/** Waits until the node reports Ready, or fails with the log of the process that runs it. */
export function waitForNodeReady(core: k8s.CoreV1Api, name: string, timeoutMs: number, nodeProcess: ManagedProcess): Promise<void> {
    const ready = async () => ((await core.readNode({ name })).status?.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True");
    return waitFor(`node ${name} Ready`, ready, timeoutMs, nodeProcess);
}
