/**
 * `verify audit --file FILE --namespace NS [--json]`: the Pod Security violations in a saved audit log.
 * Exit 0: none; 1: some; 2: bad arguments or the file cannot be read.
 */

import { CliIo, UsageError } from "../cli/io";
import { AUDIT_USAGE, inputErrorText, parseOptions } from "../cli/usage";
import { AuditLogUnreadable, readAuditLogFile } from "./readAuditLog";
import { auditJson, AuditSummary } from "./auditScan";
import { violationLine } from "./violationText";

interface AuditArgs {
    file: string;
    namespace: string;
    json: boolean;
}

function parseAuditArgs(argv: string[]): AuditArgs {
    const values = parseOptions(argv, { file: { type: "string" }, namespace: { type: "string" }, json: { type: "boolean" } });
    if (!values.file) throw new UsageError("--file FILE is required", true);
    if (!values.namespace) throw new UsageError("--namespace NS is required", true);
    return { file: values.file, namespace: values.namespace, json: values.json ?? false };
}

export async function runAuditCommand(argv: string[], io: CliIo): Promise<number> {
    let args: AuditArgs;
    let summary: AuditSummary;
    try {
        args = parseAuditArgs(argv);
        summary = await readAuditLogFile(args.file, args.namespace);
    } catch (error) {
        if (!(error instanceof UsageError || error instanceof AuditLogUnreadable)) throw error;
        io.stderr(inputErrorText("verify audit", error, AUDIT_USAGE));
        return 2;
    }
    if (args.json) {
        io.stdout(`${JSON.stringify(auditJson(summary), null, 2)}\n`);
    } else {
        io.stdout(
            `${args.file}: ${summary.events} audit event(s), ${summary.skipped} skipped line(s); ` +
                `${summary.violations.length} Pod Security violation(s) in namespace ${args.namespace}\n`,
        );
        for (const violation of summary.violations) io.stdout(`${violationLine(violation)}\n`);
    }
    return summary.violations.length === 0 ? 0 : 1;
}
