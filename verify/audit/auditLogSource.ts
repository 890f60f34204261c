/**
 * Where the audit log comes from: a file the user has (`--audit-log FILE`), or the kind control-plane node,
 * read with `docker exec` (the API server writes it inside the node container; there is no API for it).
 */

import { spawn } from "child_process";
import * as fs from "fs";
import { Readable } from "stream";
import { VerifyTarget } from "../stack/stackOutputs";
import { firstNonBlankLine } from "../text";

export interface AuditLogInput {
    /** Names the source in messages. */
    label: string;
    stream: Readable;
    /** Settles once the source is done; rejects when it failed (e.g. `docker exec` exited non-zero). */
    finished: Promise<void>;
}

export function fileAuditLog(file: string): AuditLogInput {
    return { label: file, stream: fs.createReadStream(file), finished: Promise.resolve() };
}

/** kind names the control-plane node container `<cluster>-control-plane`. */
export function kindNodeAuditLog(clusterName: string, logPath: string): AuditLogInput {
    const args = ["exec", `${clusterName}-control-plane`, "cat", logPath];
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
    return { label: `${clusterName}-control-plane:${logPath}`, stream: child.stdout, finished };
}

/** The audit log for this run, or undefined when neither a file nor a kind node is known. */
export function auditLogFor(target: VerifyTarget, file: string | undefined): AuditLogInput | undefined {
    if (file) return fileAuditLog(file);
    if (target.clusterName && target.auditLogPath) return kindNodeAuditLog(target.clusterName, target.auditLogPath);
    return undefined;
}
