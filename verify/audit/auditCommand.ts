/**
 * `verify audit --namespace NS [--json] --file FILE [--file FILE…] [FILE…]`: the Pod Security violations in
 * saved audit logs. Several files (a rotated set: `audit.log`, `audit.log.1`, `audit-….log.gz`) are read as
 * one log; plain or gzip, whatever their names. Exit 0: Pod requests for the namespace and no violation;
 * 1: violations, or nothing to check (no audit event, no Pod request for the namespace); 2: bad arguments,
 * or a file that cannot be read or is not an audit log.
 */

import * as fs from "fs";
import { CliIo, UsageError } from "../cli/io";
import { AUDIT_USAGE, inputErrorText, parseCommandLine } from "../cli/usage";
import { AuditSummary } from "./auditScan";
import { auditJson, auditOk, nothingToCheck, sourceLabel } from "./auditVerdict";
import { AuditLogUnreadable, readAuditLogFiles } from "./readAuditLog";
import { violationLine } from "./violationText";

interface AuditArgs {
    files: string[];
    namespace: string;
    json: boolean;
}

/** The same file twice would count every event twice; a path is compared as the file it names. */
function rejectRepeatedFiles(files: readonly string[]): void {
    const seen = new Map<string, string>();
    for (const file of files) {
        let key = file;
        try {
            key = fs.realpathSync(file);
        } catch {
            // Unreadable: the reader names it.
        }
        const first = seen.get(key);
        if (first !== undefined) throw new UsageError(`${JSON.stringify(file)} is given twice${first === file ? "" : ` (as ${JSON.stringify(first)} too)`}: every event would count twice`);
        seen.set(key, file);
    }
}

function parseAuditArgs(argv: string[]): AuditArgs {
    const options = { file: { type: "string", multiple: true }, namespace: { type: "string" }, json: { type: "boolean" } } as const;
    const { values, positionals } = parseCommandLine(argv, options, true);
    const files = [...(values.file ?? []), ...positionals];
    if (files.length === 0) throw new UsageError("--file FILE is required", true);
    if (!values.namespace) throw new UsageError("--namespace NS is required", true);
    rejectRepeatedFiles(files);
    return { files, namespace: values.namespace, json: values.json ?? false };
}

function textReport(summary: AuditSummary): string[] {
    const problem = nothingToCheck(summary);
    if (problem !== undefined) return [problem];
    const source = sourceLabel(summary.files.map((file) => file.file));
    return [
        `${source}: ${summary.events} audit event(s), ${summary.skipped} skipped line(s), ${summary.podRequests} Pod request(s) in namespace ${summary.namespace}; ` +
            `${summary.violations.length} Pod Security violation(s)`,
        ...summary.violations.map(violationLine),
    ];
}

export async function runAuditCommand(argv: string[], io: CliIo): Promise<number> {
    let summary: AuditSummary;
    let json: boolean;
    try {
        const args = parseAuditArgs(argv);
        json = args.json;
        summary = await readAuditLogFiles(args.files, args.namespace);
    } catch (error) {
        if (!(error instanceof UsageError || error instanceof AuditLogUnreadable)) throw error;
        io.stderr(inputErrorText("verify audit", error, AUDIT_USAGE));
        return 2;
    }
    io.stdout(json ? `${JSON.stringify(auditJson(summary), null, 2)}\n` : textReport(summary).map((line) => `${line}\n`).join(""));
    return auditOk(summary) ? 0 : 1;
}
