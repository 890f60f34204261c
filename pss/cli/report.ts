/** The CLI's two output forms: a JSON array streamed entry by entry, or a readable table printed at the end. */

import { ManifestVerdict, PodVerdict } from "../evaluateManifest";
import type { Violation } from "../index";
import { Spool } from "./spool";

/** A field a violation is about, where the file has it (`--format sarif`). */
export interface FieldLocation {
    /** Dotted path from the object's root, as far as it is written. */
    path: string;
    line: number;
    column: number;
}

export interface PodResult {
    file: string;
    /** The document's number in its file, from 0; `N/items/M` for an item of a list. */
    document: number | string;
    /** The document's first content line (not in the JSON output). */
    line?: number;
    kind: string;
    /** metadata.namespace, when the object has one (not in the JSON output). */
    namespace?: string;
    name: string;
    pod: string;
    level: string;
    version: string;
    allowed: boolean;
    violations: { check: string; reason: string; detail: string; fields?: FieldLocation[] }[];
    message: string;
}

/** Where the object is, for reports that point at it; `locate` finds the fields of violations (SARIF). */
export interface ObjectPlace {
    line?: number;
    namespace?: string;
    locate?: (pod: PodVerdict, violation: Violation) => FieldLocation[];
}

export function podResults(file: string, document: number | string, verdict: ManifestVerdict & { evaluated: true }, level: string, version: string, place: ObjectPlace = {}): PodResult[] {
    return verdict.pods.map((pod: PodVerdict) => ({
        file,
        document,
        line: place.line,
        kind: verdict.kind,
        namespace: place.namespace,
        name: verdict.name,
        pod: pod.pod,
        level,
        version,
        allowed: pod.allowed,
        violations: pod.violations.map((violation) => {
            const { check, reason, detail } = violation;
            return place.locate ? { check, reason, detail, fields: place.locate(pod, violation) } : { check, reason, detail };
        }),
        message: pod.message,
    }));
}

export interface Skipped {
    file: string;
    document: number | string;
    line?: number;
    kind: string;
    name: string;
    reason: string;
}

export interface Report {
    result(result: PodResult): void;
    skipped(skipped: Skipped): void;
    /** Prints what is left; called once, when every input was read. */
    finish(): void;
    /** Drops what was not printed yet (bad input). */
    abort(): void;
    /** Bad input, for a report that says so itself (SARIF); the others are aborted. */
    fail?(message: string): void;
}

/** Up to this much JSON is held back, so that bad input in a small run prints nothing on stdout. */
const JSON_HOLD = 1 << 20;

/** `--json`: one array, `JSON.stringify(results, null, 2)` byte for byte; skipped objects on stderr at the end. */
export function jsonReport(stdout: (text: string) => void, stderr: (text: string) => void): Report {
    let held = "";
    let count = 0;
    const skipped = new Spool();
    return {
        result(result) {
            held += `${count++ === 0 ? "[\n" : ",\n"}${resultJson(result)}`;
            if (held.length >= JSON_HOLD) {
                stdout(held);
                held = "";
            }
        },
        skipped(s) {
            skipped.push(`pss: skipped ${s.file}#${s.document} ${s.kind || "?"}/${s.name}: ${s.reason}`.replace(/\n/g, " "));
        },
        finish() {
            stdout(`${held}${count === 0 ? "[]\n" : "\n]\n"}`);
            for (const line of skipped.read()) stderr(`${line}\n`);
            skipped.dispose();
        },
        abort() {
            held = "";
            skipped.dispose();
        },
    };
}

const q = JSON.stringify;

/** One entry of the array exactly as `JSON.stringify(results, null, 2)` writes it, only faster. */
export function resultJson(r: PodResult): string {
    const violations =
        r.violations.length === 0
            ? "[]"
            : `[\n${r.violations.map((v) => `      {\n        "check": ${q(v.check)},\n        "reason": ${q(v.reason)},\n        "detail": ${q(v.detail)}\n      }`).join(",\n")}\n    ]`;
    return (
        `  {\n    "file": ${q(r.file)},\n    "document": ${q(r.document)},\n    "kind": ${q(r.kind)},\n    "name": ${q(r.name)},\n    "pod": ${q(r.pod)},\n` +
        `    "level": ${q(r.level)},\n    "version": ${q(r.version)},\n    "allowed": ${r.allowed},\n    "violations": ${violations},\n    "message": ${q(r.message)}\n  }`
    );
}

const HEADER = ["FILE", "DOC", "OBJECT", "POD", "RESULT"];

/**
 * The table, its refusals and a summary, printed at the end (kept in spools meanwhile). Rows, skipped objects
 * among them, stay in the order they were read: file after file, document after document.
 */
export function tableReport(stdout: (text: string) => void): Report {
    const rows = new Spool();
    const refusals = new Spool();
    const widths = HEADER.map((h) => h.length);
    let allowed = 0;
    let refused = 0;
    let skipped = 0;
    const add = (cells: string[]) => {
        cells.forEach((cell, column) => (widths[column] = Math.max(widths[column], cell.length)));
        rows.push(JSON.stringify(cells));
    };
    const dispose = () => [rows, refusals].forEach((s) => s.dispose());
    return {
        result(r) {
            add([r.file, String(r.document), `${r.kind}/${r.name}`, r.pod || "-", r.allowed ? "allowed" : "REFUSED"]);
            if (r.allowed) allowed++;
            else {
                refused++;
                refusals.push(JSON.stringify(`${r.file}#${r.document} ${r.kind}/${r.name}${r.pod ? ` (${r.pod})` : ""}: ${r.message}`));
            }
        },
        skipped(s) {
            skipped++;
            add([s.file, String(s.document), `${s.kind || "?"}/${s.name}`, "-", `skipped: ${s.reason}`]);
        },
        finish() {
            const line = (cells: string[]) => cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]))).join("  ");
            let out = `${line(HEADER)}\n`;
            const flush = (force = false) => {
                if (force || out.length >= 1 << 16) {
                    stdout(out);
                    out = "";
                }
            };
            for (const row of rows.read()) {
                out += `${line(JSON.parse(row))}\n`;
                flush();
            }
            if (refused > 0) {
                out += "\n";
                for (const message of refusals.read()) {
                    out += `${JSON.parse(message)}\n`;
                    flush();
                }
            }
            out += `\n${allowed + refused} pod(s): ${allowed} allowed, ${refused} refused${skipped ? `; ${skipped} object(s) skipped` : ""}\n`;
            flush(true);
            dispose();
        },
        abort: dispose,
    };
}
