/** `verify [--stack NAME] [--json] [--timeout SECONDS] [--audit-log FILE]`, checked. */

import * as fs from "fs";
import { parseArgs } from "util";
import { errorLine, UsageError } from "./io";

export const VERIFY_USAGE = [
    "usage: npm run verify -- [--stack NAME] [--json] [--timeout SECONDS] [--audit-log FILE]",
    "       npm run -s verify -- audit --file FILE --namespace NS [--json]",
].join("\n");

export const DEFAULT_TIMEOUT_SECONDS = 600;

export interface VerifyArgs {
    stack?: string;
    json: boolean;
    /** Bound on each wait (RayCluster readiness, example job, pip). */
    timeoutSeconds: number;
    auditLog?: string;
    help: boolean;
}

export function parseVerifyArgs(argv: string[]): VerifyArgs {
    let values: { stack?: string; json?: boolean; timeout?: string; "audit-log"?: string; help?: boolean };
    try {
        values = parseArgs({
            args: argv,
            strict: true,
            options: {
                stack: { type: "string" },
                json: { type: "boolean" },
                timeout: { type: "string" },
                "audit-log": { type: "string" },
                help: { type: "boolean", short: "h" },
            },
        }).values;
    } catch (error) {
        throw new UsageError(errorLine(error), true);
    }
    const timeout = values.timeout ?? String(DEFAULT_TIMEOUT_SECONDS);
    if (!/^[1-9][0-9]*$/.test(timeout)) throw new UsageError(`--timeout ${JSON.stringify(timeout)}: must be a whole number of seconds > 0`, true);
    if (values.stack !== undefined && values.stack.trim() === "") throw new UsageError("--stack: the stack name is empty", true);
    const auditLog = values["audit-log"];
    if (auditLog !== undefined) checkReadableFile(auditLog);
    return { stack: values.stack, json: values.json ?? false, timeoutSeconds: Number(timeout), auditLog, help: values.help ?? false };
}

function checkReadableFile(file: string): void {
    try {
        if (!fs.statSync(file).isFile()) throw new UsageError(`--audit-log ${JSON.stringify(file)}: not a file`);
        fs.accessSync(file, fs.constants.R_OK);
    } catch (error) {
        if (error instanceof UsageError) throw error;
        const code = (error as NodeJS.ErrnoException).code;
        throw new UsageError(`--audit-log ${JSON.stringify(file)}: ${code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : errorLine(error)}`);
    }
}
