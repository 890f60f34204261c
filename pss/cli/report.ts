/** The CLI's two output forms: one JSON array, or a readable table. */

import { ManifestVerdict, PodVerdict } from "../evaluateManifest";
import { InputDocument } from "./documents";

export interface PodResult {
    file: string;
    document: number;
    kind: string;
    name: string;
    pod: string;
    level: string;
    version: string;
    allowed: boolean;
    violations: { check: string; reason: string; detail: string }[];
    message: string;
}

export function podResults(input: InputDocument, verdict: ManifestVerdict & { evaluated: true }, level: string, version: string): PodResult[] {
    return verdict.pods.map((pod: PodVerdict) => ({
        file: input.file,
        document: input.document,
        kind: verdict.kind,
        name: verdict.name,
        pod: pod.pod,
        level,
        version,
        allowed: pod.allowed,
        violations: pod.violations.map(({ check, reason, detail }) => ({ check, reason, detail })),
        message: pod.message,
    }));
}

export interface Skipped {
    file: string;
    document: number;
    kind: string;
    name: string;
    reason: string;
}

export function table(results: PodResult[], skipped: Skipped[]): string {
    const rows = [
        ["FILE", "DOC", "OBJECT", "POD", "RESULT"],
        ...results.map((r) => [r.file, String(r.document), `${r.kind}/${r.name}`, r.pod || "-", r.allowed ? "allowed" : "REFUSED"]),
        ...skipped.map((s) => [s.file, String(s.document), `${s.kind || "?"}/${s.name}`, "-", `skipped: ${s.reason}`]),
    ];
    const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
    const lines = rows.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]))).join("  "));
    const refusals = results.filter((r) => !r.allowed).map((r) => `${r.file}#${r.document} ${r.kind}/${r.name}${r.pod ? ` (${r.pod})` : ""}: ${r.message}`);
    const summary = `${results.length} pod(s): ${results.filter((r) => r.allowed).length} allowed, ${refusals.length} refused${skipped.length ? `; ${skipped.length} object(s) skipped` : ""}`;
    return [...lines, ...(refusals.length ? ["", ...refusals] : []), "", summary, ""].join("\n");
}
