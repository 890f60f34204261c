/**
 * `kuberay-pss [--level L] [--version V] [--format table|json|sarif|junit] [--allow-empty] [-R] FILE|DIR|-…` — what Pod Security Admission
 * would say about every Pod the manifests create, including the Pods the KubeRay operator builds from Ray
 * resources. Files are found and read as `kubectl apply -f` does (fileArgs.ts, pss/decode), streaming.
 * Exit 0: all allowed; 1: something refused; 2: bad input, or nothing to check.
 */

import { wantsHelp } from "../../lib/cli/args";
import { helpText, inputErrorText } from "../../lib/cli/help";
import { CliIo, processIo } from "../../lib/cli/io";
import { npmTookOptionsText, userDir } from "../../lib/cli/npmScript";
import { ByteSource, DecodeError, DocumentSource, manifestObjects } from "../decode";
import { documentLocator } from "../decode/locate";
import { violationFields } from "../violationFields";
import { evaluateManifest } from "../evaluateManifest";
import { parsePssArgs, PssArgs } from "./args";
import { expandArgument, FILE_EXTENSIONS, InputArgument } from "./fileArgs";
import { NPM_UNKNOWN_OPTIONS, PSS_COMMAND, PSS_HELP } from "./help";
import { bytesOf, InputError, openInput } from "./input";
import { junitReport } from "./junitReport";
import { jsonReport, ObjectPlace, podResults, Report, tableReport } from "./report";
import { sarifReport } from "./sarifReport";
import { version as TOOL_VERSION } from "../../package.json";

interface Counts {
    objects: number;
    pods: number;
    refused: boolean;
    /** A few of the objects without a Pod, to name them. */
    others: string[];
}

export function runCli(argv: string[], io: CliIo): number {
    if (wantsHelp(argv)) {
        io.stdout(helpText(PSS_HELP));
        return 0;
    }
    let args: PssArgs;
    try {
        args = parsePssArgs(argv);
    } catch (error) {
        io.stderr(inputErrorText("pss", error, PSS_HELP));
        return 2;
    }
    const cwd = io.cwd ?? process.cwd();
    const stdin = io.stdin ?? (() => bytesOf(""));
    const report = reportFor(args, io, cwd);
    let refused = false;
    try {
        // One argument after another, in the order given: the report follows the files, then their documents.
        for (const input of args.inputs) {
            refused = checkArgument(expandArgument(input, cwd, args.recursive), cwd, stdin, args, report) || refused;
        }
    } catch (error) {
        if (error instanceof InputError) {
            if (report.fail) report.fail(error.message);
            else report.abort();
            io.stderr(`pss: ${error.message}\n`);
            return 2;
        }
        report.abort();
        throw error;
    }
    report.finish();
    return refused ? 1 : 0;
}

/**
 * Reports every Pod an argument's files hold; true if one is refused. A file named on its own must have
 * something to check; a directory must as a whole (its Services and ConfigMaps are not a mistake).
 */
function checkArgument(input: InputArgument, cwd: string, stdin: () => ByteSource, args: PssArgs, report: Report): boolean {
    if (!input.directory) {
        const counts = checkFile(input.arg, cwd, stdin, args, report);
        if (counts.pods === 0 && !args.allowEmpty) throw nothingToCheck(input.arg, counts);
        return counts.refused;
    }
    let pods = 0;
    let refused = false;
    for (const file of input.files) {
        const counts = checkFile(file, cwd, stdin, args, report);
        pods += counts.pods;
        refused = refused || counts.refused;
    }
    if (pods === 0 && !args.allowEmpty) {
        const what =
            input.files.length === 0
                ? `no ${FILE_EXTENSIONS.join(", ")} file in it${args.recursive ? "" : " (-R reads its subfolders)"}`
                : `no object in its ${input.files.length} file(s) carries a Pod`;
        throw new InputError(`${input.arg}: nothing to check: ${what}; --allow-empty lets that pass`);
    }
    return refused;
}

function nothingToCheck(file: string, { objects, others }: Counts): InputError {
    const what =
        objects === 0
            ? "no Kubernetes object in it (empty, or only comments)"
            : `none of its ${objects} object(s) carries a Pod (${others.join(", ")}${objects > others.length ? ", …" : ""})`;
    return new InputError(`${file}: nothing to check: ${what}; --allow-empty lets that pass`);
}

function reportFor(args: PssArgs, io: CliIo, cwd: string): Report {
    switch (args.format) {
        case "json":
            return jsonReport(io.stdout, io.stderr);
        case "sarif":
            return sarifReport(io.stdout, { level: args.level, version: args.version, cwd, toolVersion: TOOL_VERSION });
        case "junit":
            return junitReport(io.stdout, args.level, args.version);
        default:
            return tableReport(io.stdout);
    }
}

/** Finds the fields of each violation in the object's document (SARIF), parsing it only when a Pod is refused. */
function fieldLocator(source: DocumentSource | undefined): ObjectPlace["locate"] {
    if (!source) return undefined;
    let locator: ReturnType<typeof documentLocator> | undefined;
    return (pod, violation) =>
        violationFields(violation, pod.spec, pod.source).map((field) => {
            const position = (locator ??= documentLocator(source))(field);
            return { path: position.found.join("."), line: position.line, column: position.column };
        });
}

/** Reports every Pod of one file. Throws InputError for input kubectl would refuse or read otherwise. */
function checkFile(file: string, cwd: string, stdin: () => ByteSource, args: PssArgs, report: Report): Counts {
    const input = openInput(file, cwd, stdin);
    const counts: Counts = { objects: 0, pods: 0, refused: false, others: [] };
    try {
        for (const { document, line, object, source } of manifestObjects(input, args.format === "sarif")) {
            counts.objects++;
            const verdict = evaluateManifest(object, args.level, args.version);
            if (!verdict.evaluated && verdict.invalid) {
                throw new InputError(`${file}: document ${document}: ${verdict.kind}/${verdict.name}: ${verdict.reason}`);
            }
            if (verdict.evaluated) {
                const namespace = (object.metadata as { namespace?: unknown } | undefined)?.namespace;
                const place = { line, namespace: typeof namespace === "string" ? namespace : undefined, locate: fieldLocator(source) };
                for (const result of podResults(file, document, verdict, args.level, args.version, place)) {
                    counts.pods++;
                    counts.refused = counts.refused || !result.allowed;
                    report.result(result);
                }
            } else {
                if (counts.others.length < 3) counts.others.push(`${verdict.kind}/${verdict.name}`);
                report.skipped({ file, document, line, kind: verdict.kind, name: verdict.name, reason: verdict.reason });
            }
        }
    } catch (error) {
        if (error instanceof DecodeError) throw new InputError(`${file}: ${error.where()}`);
        throw error;
    } finally {
        input.close();
    }
    return counts;
}

/** The command itself, on the process's arguments and streams (the bundle's entry: lib/cli/launch.cjs). */
export function main(): void {
    const io = processIo(userDir(PSS_COMMAND));
    const npmTook = npmTookOptionsText("pss", PSS_COMMAND, NPM_UNKNOWN_OPTIONS);
    if (npmTook) io.stderr(npmTook);
    process.exitCode = npmTook ? 2 : runCli(process.argv.slice(2), io);
}

if (require.main === module) main();
