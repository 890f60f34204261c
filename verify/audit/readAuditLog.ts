/** Streams an audit log line by line, so a log of any size is read in flat memory. */

import * as fs from "fs";
import * as readline from "readline";
import { Readable } from "stream";
import { describeFsError } from "../cli/io";
import { AuditScan, AuditSummary } from "./auditScan";

export class AuditLogUnreadable extends Error {}

export async function readAuditLog(input: Readable, namespace: string, label = "audit log"): Promise<AuditSummary> {
    const lines = readline.createInterface({ input, crlfDelay: Infinity });
    // Depending on when it happens, an input error ends the iteration silently or is thrown from it.
    let failure: Error | undefined;
    input.on("error", (error) => {
        failure = error;
        lines.close();
    });
    const scan = new AuditScan(namespace);
    try {
        for await (const line of lines) scan.add(line);
    } catch (error) {
        failure ??= error as Error;
    }
    if (failure) throw new AuditLogUnreadable(`cannot read ${label}: ${describeFsError(failure)}`);
    return scan.result();
}

export function readAuditLogFile(file: string, namespace: string): Promise<AuditSummary> {
    return readAuditLog(fs.createReadStream(file), namespace, JSON.stringify(file));
}
