/** The checker's command line, checked. */

import { parseCommandLine } from "../../lib/cli/args";
import { UsageError } from "../../lib/cli/errors";
import { isLevel, isVersion, Level, LEVEL_RULE, VERSION_RULE } from "../../model/podSecurity";

export const FORMATS = ["table", "json", "sarif", "junit"] as const;
export type Format = (typeof FORMATS)[number];

export interface PssArgs {
    level: Level;
    version: string;
    format: Format;
    allowEmpty: boolean;
    recursive: boolean;
    /** Files, directories and `-` (stdin), as written. */
    inputs: string[];
}

const OPTIONS = {
    level: { type: "string", default: "restricted" },
    version: { type: "string", default: "latest" },
    json: { type: "boolean", default: false },
    format: { type: "string" },
    "allow-empty": { type: "boolean", default: false },
    recursive: { type: "boolean", short: "R", default: false },
    help: { type: "boolean", short: "h", default: false },
} as const;

export function parsePssArgs(argv: string[]): PssArgs {
    const { values, positionals } = parseCommandLine(argv, OPTIONS, true);
    if (!isLevel(values.level)) throw new UsageError(`unknown level ${JSON.stringify(values.level)}; allowed: ${LEVEL_RULE}`);
    if (!isVersion(values.version)) throw new UsageError(`invalid version ${JSON.stringify(values.version)}; allowed: ${VERSION_RULE}`);
    const format = values.format ?? (values.json ? "json" : "table");
    if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`unknown format ${JSON.stringify(format)}; allowed: ${FORMATS.join(", ")}`);
    if (values.json && format !== "json") throw new UsageError(`--json and --format ${format} ask for two formats; give one`);
    if (positionals.length === 0) throw new UsageError("no input files", true);
    return { level: values.level, version: values.version, format: format as Format, allowEmpty: values["allow-empty"], recursive: values.recursive, inputs: positionals };
}
