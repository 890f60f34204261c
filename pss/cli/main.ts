/**
 * `npm run -s pss -- [--level L] [--version V] [--json] FILE…` — what Pod Security Admission would say about
 * every Pod the manifests create, including the Pods the KubeRay operator builds from Ray resources.
 * Exit 0: all allowed; 1: something refused; 2: bad input.
 */

import * as fs from "fs";
import { parseArgs } from "util";
import { evaluateManifest } from "../evaluateManifest";
import { isLevel, isVersion, Level, LEVELS } from "../index";
import { InputError, parseDocuments, readInput } from "./documents";
import { PodResult, podResults, Skipped, table } from "./report";

const USAGE = "usage: pss [--level privileged|baseline|restricted] [--version latest|v1.N] [--json] FILE… (- reads stdin)";

export interface CliIo {
    stdout(text: string): void;
    stderr(text: string): void;
    readStdin(): string;
}

export function runCli(argv: string[], io: CliIo): number {
    let options: { level: string; version: string; json: boolean; help: boolean };
    let files: string[];
    try {
        const parsed = parseArgs({
            args: argv,
            allowPositionals: true,
            options: {
                level: { type: "string", default: "restricted" },
                version: { type: "string", default: "latest" },
                json: { type: "boolean", default: false },
                help: { type: "boolean", short: "h", default: false },
            },
        });
        options = parsed.values as typeof options;
        files = parsed.positionals;
    } catch (error) {
        io.stderr(`pss: ${(error as Error).message}\n${USAGE}\n`);
        return 2;
    }
    if (options.help) {
        io.stdout(`${USAGE}\n`);
        return 0;
    }
    if (!isLevel(options.level)) {
        io.stderr(`pss: unknown level ${JSON.stringify(options.level)}; allowed: ${LEVELS.join(", ")}\n`);
        return 2;
    }
    if (!isVersion(options.version)) {
        io.stderr(`pss: invalid version ${JSON.stringify(options.version)}; allowed: "latest" or "v1.N" (e.g. v1.30)\n`);
        return 2;
    }
    if (files.length === 0) {
        io.stderr(`pss: no input files\n${USAGE}\n`);
        return 2;
    }
    const level: Level = options.level;
    const results: PodResult[] = [];
    const skipped: Skipped[] = [];
    try {
        for (const file of files) {
            for (const input of parseDocuments(file, readInput(file, io.readStdin))) {
                const verdict = evaluateManifest(input.object, level, options.version);
                if (!verdict.evaluated && verdict.invalid) {
                    throw new InputError(`${file}: document ${input.document}: ${verdict.kind}/${verdict.name}: ${verdict.reason}`);
                }
                if (verdict.evaluated) {
                    results.push(...podResults(input, verdict, level, options.version));
                } else {
                    skipped.push({ file, document: input.document, kind: verdict.kind, name: verdict.name, reason: verdict.reason });
                }
            }
        }
    } catch (error) {
        if (error instanceof InputError) {
            io.stderr(`pss: ${error.message}\n`);
            return 2;
        }
        throw error;
    }
    if (options.json) {
        io.stdout(`${JSON.stringify(results, null, 2)}\n`);
        for (const s of skipped) {
            io.stderr(`pss: skipped ${s.file}#${s.document} ${s.kind || "?"}/${s.name}: ${s.reason}\n`);
        }
    } else {
        io.stdout(table(results, skipped));
    }
    return results.every((r) => r.allowed) ? 0 : 1;
}

if (require.main === module) {
    process.exitCode = runCli(process.argv.slice(2), {
        stdout: (text) => process.stdout.write(text),
        stderr: (text) => process.stderr.write(text),
        readStdin: () => fs.readFileSync(0, "utf8"),
    });
}
