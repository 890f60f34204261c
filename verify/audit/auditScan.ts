/** Audit-log lines → counts and Pod Security violations for one namespace. Pure: fed one line at a time. */

import { completedPodRequestNamespace, parseAuditEvent, PodSecurityViolation, podSecurityViolation } from "./auditEvent";
import { AuditLine } from "./auditLines";

/** What one file (or stream) of the log held. */
export interface AuditFileSummary {
    file: string;
    compressed: boolean;
    /** Non-blank lines. */
    lines: number;
    events: number;
    skipped: number;
}

export interface AuditSummary {
    namespace: string;
    /** The files read, in the order they were read. */
    files: AuditFileSummary[];
    /** Lines that were JSON audit events (any namespace, any resource). */
    events: number;
    /** Non-blank lines that were not: truncated, non-JSON, JSON of another kind, or too long to be an event. */
    skipped: number;
    /** Completed Pod requests in the namespace: zero means the log says nothing about it. */
    podRequests: number;
    /** Completed Pod requests in every namespace the log names, so that a misspelt namespace is obvious. */
    podRequestsByNamespace: Record<string, number>;
    /** In time order, each request once (rotated files given twice, or overlapping, do not repeat one). */
    violations: PodSecurityViolation[];
}

function byTime(a: PodSecurityViolation, b: PodSecurityViolation): number {
    // Kubernetes writes MicroTime (RFC 3339, UTC, six fractional digits): the text sorts as the time does.
    return a.time < b.time ? -1 : a.time > b.time ? 1 : 0;
}

export class AuditScan {
    private readonly files: AuditFileSummary[] = [];
    private readonly byNamespace = new Map<string, number>();
    private readonly violations: PodSecurityViolation[] = [];
    private readonly violationIds = new Set<string>();
    private file: AuditFileSummary | undefined;

    constructor(private readonly namespace: string) {}

    /** Starts counting a new file; lines before any call count under an unnamed one. */
    beginFile(file: string, compressed: boolean): void {
        this.file = { file, compressed, lines: 0, events: 0, skipped: 0 };
        this.files.push(this.file);
    }

    /** The counts of the file being read. */
    currentFile(): AuditFileSummary {
        if (!this.file) this.beginFile("", false);
        return this.file!;
    }

    add(line: AuditLine): void {
        if (typeof line === "string" && line.trim() === "") return;
        const file = this.currentFile();
        file.lines++;
        const event = typeof line === "string" ? parseAuditEvent(line) : undefined;
        if (!event) {
            file.skipped++;
            return;
        }
        file.events++;
        const namespace = completedPodRequestNamespace(event);
        if (namespace === undefined) return;
        this.byNamespace.set(namespace, (this.byNamespace.get(namespace) ?? 0) + 1);
        const violation = podSecurityViolation(event, this.namespace);
        if (!violation) return;
        if (event.auditID) {
            if (this.violationIds.has(event.auditID)) return;
            this.violationIds.add(event.auditID);
        }
        this.violations.push(violation);
    }

    result(): AuditSummary {
        const sum = (key: "events" | "skipped") => this.files.reduce((total, file) => total + file[key], 0);
        return {
            namespace: this.namespace,
            files: this.files.map((file) => ({ ...file })),
            events: sum("events"),
            skipped: sum("skipped"),
            podRequests: this.byNamespace.get(this.namespace) ?? 0,
            podRequestsByNamespace: Object.fromEntries([...this.byNamespace].sort(([a, x], [b, y]) => y - x || a.localeCompare(b))),
            violations: [...this.violations].sort(byTime),
        };
    }
}

export function scanAuditLines(lines: Iterable<string>, namespace: string): AuditSummary {
    const scan = new AuditScan(namespace);
    for (const line of lines) scan.add(line);
    return scan.result();
}
