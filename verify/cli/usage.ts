/** The command lines `verify` accepts, how they are parsed, and what a bad one prints. */

import { parseArgs, ParseArgsConfig } from "util";
import { errorLine, UsageError } from "./io";

const VERIFY_LINE = "npm run verify -- [--stack NAME] [--json] [--timeout SECONDS] [--audit-log FILE]…";
const AUDIT_LINE = "npm run -s verify -- audit --namespace NS [--json] --file FILE [--file FILE]… [FILE]…";

export const AUDIT_USAGE = `usage: ${AUDIT_LINE}`;
/** `verify --help` lists both forms, the audit one aligned under the first. */
export const VERIFY_USAGE = `usage: ${VERIFY_LINE}\n       ${AUDIT_LINE}`;

type Options = NonNullable<ParseArgsConfig["options"]>;

/** util.parseArgs, strict: an unknown option or a stray argument is a UsageError that shows the usage. */
export function parseOptions<T extends Options>(argv: string[], options: T) {
    return parseCommandLine(argv, options).values;
}

/** The same, for a command that also takes operands (`verify audit`'s files). */
export function parseCommandLine<T extends Options>(argv: string[], options: T, allowPositionals = false) {
    try {
        return parseArgs({ args: argv, strict: true, options, allowPositionals });
    } catch (error) {
        throw new UsageError(errorLine(error), true);
    }
}

/** What `command` prints on stderr for bad input: one line, then the usage when the arguments were wrong. */
export function inputErrorText(command: string, error: unknown, usage: string): string {
    const showUsage = error instanceof UsageError && error.showUsage;
    return `${command}: ${errorLine(error)}\n${showUsage ? `${usage}\n` : ""}`;
}
