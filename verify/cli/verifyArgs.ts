/** `verify [--stack NAME] [--json] [--junit FILE] [--timeout SECONDS] [--audit-log FILE]…`, checked. */

import * as fs from "fs";
import * as path from "path";
import { parseCommandLine } from "../../lib/cli/args";
import { describeFsError, UsageError } from "../../lib/cli/errors";
import { writableFile } from "../../lib/cli/outputFile";

export const DEFAULT_TIMEOUT_SECONDS = 600;

export interface VerifyArgs {
    stack?: string;
    json: boolean;
    /** Bound on each wait (RayCluster readiness, example job, pip). */
    timeoutSeconds: number;
    /** The --audit-log files as written, in the order given (a rotated set may be several); empty when none. */
    auditLogs: string[];
    /** Where to write the JUnit report (absolute; checked writable before any check runs). */
    junit?: string;
}

/** `cwd`: the folder relative --audit-log paths are read from. */
export function parseVerifyArgs(argv: string[], cwd: string): VerifyArgs {
    const { values } = parseCommandLine(argv, {
        stack: { type: "string" },
        json: { type: "boolean" },
        junit: { type: "string" },
        timeout: { type: "string" },
        "audit-log": { type: "string", multiple: true },
    });
    const timeout = values.timeout ?? String(DEFAULT_TIMEOUT_SECONDS);
    if (!/^[1-9][0-9]*$/.test(timeout)) throw new UsageError(`--timeout ${JSON.stringify(timeout)}: must be a whole number of seconds > 0`, true);
    if (values.stack !== undefined && values.stack.trim() === "") throw new UsageError("--stack: the stack name is empty", true);
    const auditLogs = values["audit-log"] ?? [];
    auditLogs.forEach((file) => checkReadableFile(file, cwd));
    const realPath = (file: string) => fs.realpathSync(path.resolve(cwd, file));
    const repeated = auditLogs.find((file, i) => auditLogs.slice(0, i).some((earlier) => realPath(earlier) === realPath(file)));
    if (repeated !== undefined) throw new UsageError(`--audit-log ${JSON.stringify(repeated)} is given twice: every event would count twice`);
    const junit = values.junit === undefined ? undefined : writableFile("--junit", values.junit, cwd);
    return { stack: values.stack, json: values.json ?? false, timeoutSeconds: Number(timeout), auditLogs, ...(junit ? { junit } : {}) };
}

function checkReadableFile(file: string, cwd: string): void {
    const where = path.resolve(cwd, file);
    try {
        if (!fs.statSync(where).isFile()) throw new UsageError(`--audit-log ${JSON.stringify(file)}: not a file`);
        fs.accessSync(where, fs.constants.R_OK);
    } catch (error) {
        if (error instanceof UsageError) throw error;
        throw new UsageError(`--audit-log ${JSON.stringify(file)}: ${describeFsError(error)}`);
    }
}
