/**
 * `verify audit --namespace NS [--json] --file FILE [--file FILE…] [FILE…]`: the Pod Security violations in
 * saved audit logs. Several files (a rotated set: `audit.log`, `audit.log.1`, `audit-….log.gz`) are read as
 * one log; plain or gzip, whatever their names. Exit 0: Pod requests for the namespace and no violation;
 * 1: violations, or nothing to check (no audit event, no Pod request for the namespace); 2: bad arguments,
 * or a file that cannot be read or is not an audit log.
 */

import { wantsHelp } from "../../lib/cli/args";
import { UsageError } from "../../lib/cli/errors";
import { helpText, inputErrorText } from "../../lib/cli/help";
import { CliIo } from "../../lib/cli/io";
import { fileAuditLog } from "../audit/auditLogSource";
import { AuditSummary } from "../audit/auditScan";
import { auditJson, auditOk, nothingToCheck, sourceLabel } from "../audit/auditVerdict";
import { AuditLogUnreadable, readAuditLogs } from "../audit/readAuditLog";
import { violationLine } from "../audit/violationText";
import { parseAuditArgs } from "./auditArgs";
import { AUDIT_HELP } from "./help";

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
    if (wantsHelp(argv)) {
        io.stdout(helpText(AUDIT_HELP));
        return 0;
    }
    const cwd = io.cwd ?? process.cwd();
    let summary: AuditSummary;
    let json: boolean;
    try {
        const args = parseAuditArgs(argv, cwd);
        json = args.json;
        summary = await readAuditLogs(args.files.map((file) => fileAuditLog(file, cwd)), args.namespace);
    } catch (error) {
        if (!(error instanceof UsageError || error instanceof AuditLogUnreadable)) throw error;
        io.stderr(inputErrorText("verify audit", error, AUDIT_HELP));
        return 2;
    }
    io.stdout(json ? `${JSON.stringify(auditJson(summary), null, 2)}\n` : textReport(summary).map((line) => `${line}\n`).join(""));
    return auditOk(summary) ? 0 : 1;
}
