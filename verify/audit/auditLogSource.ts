/**
 * Where the audit log comes from: files the user has (`--audit-log FILE`, `verify audit --file FILE`, a
 * rotated set among them), or the kind control-plane node, read with `docker exec` (the API server writes it
 * inside the node container; there is no API for it). Each source is opened only when it is read, so a set of
 * rotated files holds one file open at a time.
 */

import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { Readable } from "stream";
import { firstNonBlankLine } from "../../lib/text";
import { VerifyTarget } from "../stack/stackOutputs";

export interface OpenedAuditLog {
    /** The bytes: plain text or gzip. */
    stream: Readable;
    /** Settles once the source is done; rejects when it failed (e.g. `docker exec` exited non-zero). */
    finished: Promise<void>;
}

export interface AuditLogInput {
    /** Names the source in messages: the file as given, or `<node>:<path>`. */
    label: string;
    open(): OpenedAuditLog;
}

/** A file named as the user wrote it (the label), read relative to `cwd`: the folder the user stands in. */
export function fileAuditLog(file: string, cwd: string = process.cwd()): AuditLogInput {
    return { label: file, open: () => ({ stream: fs.createReadStream(path.resolve(cwd, file)), finished: Promise.resolve() }) };
}

/** kind names the control-plane node container `<cluster>-control-plane`. */
export function kindNodeAuditLog(clusterName: string, logPath: string): AuditLogInput {
    return { label: `${clusterName}-control-plane:${logPath}`, open: () => dockerCat(`${clusterName}-control-plane`, logPath) };
}

function dockerCat(container: string, logPath: string): OpenedAuditLog {
    const args = ["exec", container, "cat", logPath];
    const child = spawn("docker", args, { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4096)));
    const finished = new Promise<void>((resolve, reject) => {
        child.once("error", (error: NodeJS.ErrnoException) =>
            reject(new Error(error.code === "ENOENT" ? "`docker` is not on PATH" : `docker: ${error.message}`)),
        );
        child.once("close", (code) => {
            if (code === 0) return resolve();
            const why = firstNonBlankLine(stderr) ?? `exit code ${code}`;
            reject(new Error(`\`docker ${args.join(" ")}\` failed: ${why}`));
        });
    });
    finished.catch(() => undefined); // awaited by the reader; never an unhandled rejection
    return { stream: child.stdout, finished };
}

/** The audit logs for this run: the files given, else the kind node's log; empty when neither is known. */
export function auditLogsFor(target: VerifyTarget, files: readonly string[], cwd?: string): AuditLogInput[] {
    if (files.length > 0) return files.map((file) => fileAuditLog(file, cwd));
    if (target.clusterName && target.auditLogPath) return [kindNodeAuditLog(target.clusterName, target.auditLogPath)];
    return [];
}
