/**
 * Streams audit logs line by line — plain or gzip, one file or a rotated set — so logs of any size are read
 * in flat memory. Fails closed: a source that cannot be read, is not valid gzip, or holds lines but no audit
 * event is an AuditLogUnreadable naming it.
 */

import { Readable } from "stream";
import { describeFsError } from "../../lib/cli/errors";
import { auditLines, MAX_LINE_BYTES } from "./auditLines";
import { AuditLogInput, fileAuditLog } from "./auditLogSource";
import { AuditFileSummary, AuditScan, AuditSummary } from "./auditScan";
import { openAuditText } from "./auditText";

/** The input is not something to judge: unreadable, corrupt, or not an audit log. Exit 2 in both commands. */
export class AuditLogUnreadable extends Error {}

export interface ReadOptions {
    maxLineBytes?: number;
}

function readError(label: string, error: unknown): AuditLogUnreadable {
    const code = (error as NodeJS.ErrnoException | undefined)?.code ?? "";
    const why = code.startsWith("Z_") ? `not valid gzip data (${(error as Error).message})` : describeFsError(error);
    return new AuditLogUnreadable(`cannot read ${JSON.stringify(label)}: ${why}`);
}

export function notAnAuditLogText(file: AuditFileSummary): string {
    return (
        `${JSON.stringify(file.file)} is not an audit log: none of its ${file.lines} line(s) is an audit event ` +
        `(one JSON audit.k8s.io Event per line, as kube-apiserver writes with --audit-log-format=json${file.compressed ? "; gzip is read" : ", plain or gzip"})`
    );
}

async function scanSource(scan: AuditScan, label: string, stream: Readable, options: ReadOptions): Promise<void> {
    try {
        const text = await openAuditText(stream);
        scan.beginFile(label, text.compressed);
        for await (const line of auditLines(text.chunks, options.maxLineBytes ?? MAX_LINE_BYTES)) scan.add(line);
    } catch (error) {
        stream.destroy();
        throw readError(label, error);
    }
}

function requireEvents(scan: AuditScan): void {
    const file = scan.currentFile();
    if (file.lines > 0 && file.events === 0) throw new AuditLogUnreadable(notAnAuditLogText(file));
}

/** Reads the sources one after another into one summary; the violations come out in time order. */
export async function readAuditLogs(inputs: readonly AuditLogInput[], namespace: string, options: ReadOptions = {}): Promise<AuditSummary> {
    const scan = new AuditScan(namespace);
    for (const input of inputs) {
        const opened = input.open();
        await scanSource(scan, input.label, opened.stream, options);
        // A failed source (docker exec) says why itself; its empty output is not the reason.
        await opened.finished;
        requireEvents(scan);
    }
    return scan.result();
}

/** One stream that is already open (tests, pipes). */
export async function readAuditLog(input: Readable, namespace: string, label = "audit log", options: ReadOptions = {}): Promise<AuditSummary> {
    const scan = new AuditScan(namespace);
    await scanSource(scan, label, input, options);
    requireEvents(scan);
    return scan.result();
}

export function readAuditLogFiles(files: readonly string[], namespace: string, options: ReadOptions = {}): Promise<AuditSummary> {
    return readAuditLogs(files.map((file) => fileAuditLog(file)), namespace, options);
}

export function readAuditLogFile(file: string, namespace: string, options: ReadOptions = {}): Promise<AuditSummary> {
    return readAuditLogFiles([file], namespace, options);
}
