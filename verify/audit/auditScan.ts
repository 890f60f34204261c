/** Audit-log lines → counts and Pod Security violations for one namespace. Pure: fed one line at a time. */

import { isCompletedPodRequest, parseAuditEvent, PodSecurityViolation, podSecurityViolation } from "./auditEvent";

export interface AuditSummary {
    /** Lines that were JSON audit events (any namespace, any resource). */
    events: number;
    /** Non-blank lines that were not: truncated, non-JSON, or JSON of another kind. */
    skipped: number;
    /** Completed Pod requests in the namespace: zero means the log says nothing about it. */
    podRequests: number;
    violations: PodSecurityViolation[];
}

export class AuditScan {
    private readonly summary: AuditSummary = { events: 0, skipped: 0, podRequests: 0, violations: [] };

    constructor(private readonly namespace: string) {}

    add(line: string): void {
        if (line.trim() === "") return;
        const event = parseAuditEvent(line);
        if (!event) {
            this.summary.skipped++;
            return;
        }
        this.summary.events++;
        if (!isCompletedPodRequest(event, this.namespace)) return;
        this.summary.podRequests++;
        const violation = podSecurityViolation(event, this.namespace);
        if (violation) this.summary.violations.push(violation);
    }

    result(): AuditSummary {
        return { ...this.summary, violations: [...this.summary.violations] };
    }
}

export function scanAuditLines(lines: Iterable<string>, namespace: string): AuditSummary {
    const scan = new AuditScan(namespace);
    for (const line of lines) scan.add(line);
    return scan.result();
}

/** The JSON `verify audit --json` prints: exactly these three keys. */
export function auditJson(summary: AuditSummary): Pick<AuditSummary, "events" | "skipped" | "violations"> {
    return { events: summary.events, skipped: summary.skipped, violations: summary.violations };
}
