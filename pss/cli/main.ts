/**
 * `npm run -s pss -- [--level L] [--version V] [--json] [--allow-empty] FILE…` — what Pod Security Admission
 * would say about every Pod the manifests create, including the Pods the KubeRay operator builds from Ray
 * resources. Files are read as `kubectl apply -f` reads them (pss/decode), streaming.
 * Exit 0: all allowed; 1: something refused; 2: bad input, or nothing to check.
 */

import * as fs from "fs";
import { parseArgs } from "util";
import { ByteSource, DecodeError, manifestObjects } from "../decode";
import { evaluateManifest } from "../evaluateManifest";
import { isLevel, isVersion, Level, LEVELS } from "../index";
import { bytesOf, InputError, openInput, processStdin } from "./input";
import { jsonReport, podResults, Report, tableReport } from "./report";

const USAGE = "usage: pss [--level privileged|baseline|restricted] [--version latest|v1.N] [--json] [--allow-empty] FILE… (- reads stdin)";

export interface CliIo {
    stdout(text: string): void;
    stderr(text: string): void;
    /** Stdin as one text (tests). */
    readStdin(): string;
    /** Stdin as a stream (the real command); preferred over readStdin. */
    stdin?: () => ByteSource;
}

interface Options {
    level: string;
    version: string;
    json: boolean;
    "allow-empty": boolean;
    help: boolean;
}

export function runCli(argv: string[], io: CliIo): number {
    let options: Options;
    let files: string[];
    try {
        const parsed = parseArgs({
            args: argv,
            allowPositionals: true,
            options: {
                level: { type: "string", default: "restricted" },
                version: { type: "string", default: "latest" },
                json: { type: "boolean", default: false },
                "allow-empty": { type: "boolean", default: false },
                help: { type: "boolean", short: "h", default: false },
            },
        });
        options = parsed.values as Options;
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
    const report = options.json ? jsonReport(io.stdout, io.stderr) : tableReport(io.stdout);
    const stdin = io.stdin ?? (() => bytesOf(io.readStdin()));
    let refused = false;
    try {
        for (const file of files) {
            refused = checkFile(file, stdin, level, options.version, options["allow-empty"], report) || refused;
        }
    } catch (error) {
        report.abort();
        if (error instanceof InputError) {
            io.stderr(`pss: ${error.message}\n`);
            return 2;
        }
        throw error;
    }
    report.finish();
    return refused ? 1 : 0;
}

/** Reports every Pod of one file; true if one is refused. Throws InputError for bad input or nothing to check. */
function checkFile(file: string, stdin: () => ByteSource, level: Level, version: string, allowEmpty: boolean, report: Report): boolean {
    const input = openInput(file, stdin);
    let objects = 0;
    let pods = 0;
    let refused = false;
    const others: string[] = [];
    try {
        for (const { document, object } of manifestObjects(input)) {
            objects++;
            const verdict = evaluateManifest(object, level, version);
            if (!verdict.evaluated && verdict.invalid) {
                throw new InputError(`${file}: document ${document}: ${verdict.kind}/${verdict.name}: ${verdict.reason}`);
            }
            if (verdict.evaluated) {
                for (const result of podResults(file, document, verdict, level, version)) {
                    pods++;
                    refused = refused || !result.allowed;
                    report.result(result);
                }
            } else {
                if (others.length < 3) others.push(`${verdict.kind}/${verdict.name}`);
                report.skipped({ file, document, kind: verdict.kind, name: verdict.name, reason: verdict.reason });
            }
        }
    } catch (error) {
        if (error instanceof DecodeError) throw new InputError(`${file}: ${error.where()}`);
        throw error;
    } finally {
        input.close();
    }
    if (pods === 0 && !allowEmpty) {
        const what =
            objects === 0
                ? "no Kubernetes object in it (empty, or only comments)"
                : `none of its ${objects} object(s) carries a Pod (${others.join(", ")}${objects > others.length ? ", …" : ""})`;
        throw new InputError(`${file}: nothing to check: ${what}; --allow-empty lets that pass`);
    }
    return refused;
}

/** The command itself, on the process's arguments and streams. */
export function main(): void {
    process.exitCode = runCli(process.argv.slice(2), {
        stdout: (text) => writeAll(1, text),
        stderr: (text) => writeAll(2, text),
        readStdin: () => "",
        stdin: processStdin,
    });
}

if (require.main === module) main();

/** Synchronous writes (pipes included), so that output never piles up in memory. */
function writeAll(fd: number, text: string): void {
    const pause = new Int32Array(new SharedArrayBuffer(4));
    let buffer = Buffer.from(text, "utf8");
    while (buffer.length > 0) {
        try {
            buffer = buffer.subarray(fs.writeSync(fd, buffer));
        } catch (error) {
            const code = (error as NodeJS.ErrnoException).code;
            if (code === "EAGAIN") Atomics.wait(pause, 0, 0, 5);
            else if (code === "EPIPE") return;
            else throw error;
        }
    }
}
