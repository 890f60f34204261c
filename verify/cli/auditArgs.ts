/** `verify audit --namespace NS [--json] --file FILE [--file FILE]… [FILE]…`, checked. */

import * as fs from "fs";
import * as path from "path";
import { parseCommandLine } from "../../lib/cli/args";
import { UsageError } from "../../lib/cli/errors";

export interface AuditArgs {
    /** As written: --file ones first, then those after the options. */
    files: string[];
    namespace: string;
    json: boolean;
}

/** The same file twice would count every event twice; a path is compared as the file it names. */
function rejectRepeatedFiles(files: readonly string[], cwd: string): void {
    const seen = new Map<string, string>();
    for (const file of files) {
        let key = path.resolve(cwd, file);
        try {
            key = fs.realpathSync(key);
        } catch {
            // Unreadable: the reader names it.
        }
        const first = seen.get(key);
        if (first !== undefined) throw new UsageError(`${JSON.stringify(file)} is given twice${first === file ? "" : ` (as ${JSON.stringify(first)} too)`}: every event would count twice`);
        seen.set(key, file);
    }
}

/** `cwd`: the folder relative files are read from. */
export function parseAuditArgs(argv: string[], cwd: string): AuditArgs {
    const options = { file: { type: "string", multiple: true }, namespace: { type: "string" }, json: { type: "boolean" } } as const;
    const { values, positionals } = parseCommandLine(argv, options, true);
    const files = [...(values.file ?? []), ...positionals];
    if (files.length === 0) throw new UsageError("--file FILE is required", true);
    if (!values.namespace) throw new UsageError("--namespace NS is required", true);
    rejectRepeatedFiles(files, cwd);
    return { files, namespace: values.namespace, json: values.json ?? false };
}
