/**
 * `verify audit --file FILE --namespace NS [--json]`: the Pod Security violations in a saved audit log.
 * Exit 0: none; 1: some; 2: bad arguments or the file cannot be read.
 */

import { parseArgs } from "util";
import { CliIo, errorLine } from "../cli/io";
import { AuditLogUnreadable, readAuditLogFile } from "./readAuditLog";
import { auditJson, AuditSummary } from "./auditScan";
import { violationLine } from "./violationText";

export const AUDIT_USAGE = "usage: npm run -s verify -- audit --file FILE --namespace NS [--json]";

interface AuditArgs {
    file: string;
    namespace: string;
    json: boolean;
}

function parseAuditArgs(argv: string[]): AuditArgs | string {
    let values: { file?: string; namespace?: string; json?: boolean };
    try {
        values = parseArgs({
            args: argv,
            strict: true,
            options: { file: { type: "string" }, namespace: { type: "string" }, json: { type: "boolean" } },
        }).values;
    } catch (error) {
        return errorLine(error);
    }
    if (!values.file) return "--file FILE is required";
    if (!values.namespace) return "--namespace NS is required";
    return { file: values.file, namespace: values.namespace, json: values.json ?? false };
}

export async function runAuditCommand(argv: string[], io: CliIo): Promise<number> {
    const args = parseAuditArgs(argv);
    if (typeof args === "string") {
        io.stderr(`verify audit: ${args}\n${AUDIT_USAGE}\n`);
        return 2;
    }
    let summary: AuditSummary;
    try {
        summary = await readAuditLogFile(args.file, args.namespace);
    } catch (error) {
        if (!(error instanceof AuditLogUnreadable)) throw error;
        io.stderr(`verify audit: ${error.message}\n`);
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
