/** Command lines parsed strictly: an unknown option or a stray argument is a UsageError that shows the usage. */

import { parseArgs, ParseArgsConfig } from "util";
import { errorLine, UsageError } from "./errors";

type Options = NonNullable<ParseArgsConfig["options"]>;

/** util.parseArgs, strict; `allowPositionals` for a command that takes operands (files). */
export function parseCommandLine<T extends Options>(argv: string[], options: T, allowPositionals = false) {
    try {
        return parseArgs({ args: argv, strict: true, options, allowPositionals });
    } catch (error) {
        throw new UsageError(errorLine(error), true);
    }
}

/** `-h` or `--help` before any `--`: help wins over every other argument, right or wrong. */
export function wantsHelp(argv: readonly string[]): boolean {
    const end = argv.indexOf("--");
    return (end < 0 ? argv : argv.slice(0, end)).some((arg) => arg === "--help" || arg === "-h");
}
