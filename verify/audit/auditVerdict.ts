/**
 * What an audit log's summary means for the namespace, in the words `verify audit` and the verify checklist
 * both use. Silence is not evidence: a log with no event, or with no Pod request for the namespace, has
 * nothing to check and does not pass. Pure.
 */

import { closestName } from "../../lib/editDistance";
import { AuditSummary } from "./auditScan";

const NAMESPACES_SHOWN = 5;
const FILES_NAMED = 3;

/** `"audit.log"`, or `"audit.log", "audit.log.1" and "audit-….log.gz"`, or the first two and a count. */
export function sourceLabel(files: readonly string[]): string {
    const quoted = files.map((file) => JSON.stringify(file));
    if (quoted.length <= 1) return quoted[0] ?? "the audit log";
    if (quoted.length <= FILES_NAMED) return `${quoted.slice(0, -1).join(", ")} and ${quoted[quoted.length - 1]}`;
    return `${quoted.slice(0, 2).join(", ")} and ${quoted.length - 2} more files`;
}

function namespaceListing(summary: AuditSummary): string {
    const entries = Object.entries(summary.podRequestsByNamespace);
    const shown = entries.slice(0, NAMESPACES_SHOWN).map(([namespace, count]) => `${namespace} (${count})`);
    const more = entries.length > NAMESPACES_SHOWN ? ` and ${entries.length - NAMESPACES_SHOWN} more` : "";
    return `${shown.join(", ")}${more}`;
}

/** Why the log cannot show the namespace clean, or undefined when it has Pod requests for it. */
export function nothingToCheck(summary: AuditSummary): string | undefined {
    const source = sourceLabel(summary.files.map((file) => file.file));
    if (summary.events === 0) {
        const lines = summary.files.reduce((total, file) => total + file.lines, 0);
        return `no audit event in ${source} (${lines === 0 ? "empty" : `${lines} line(s), none an audit event`}): nothing to check`;
    }
    if (summary.podRequests > 0) return undefined;
    const namespaces = Object.keys(summary.podRequestsByNamespace);
    const total = Object.values(summary.podRequestsByNamespace).reduce((sum, count) => sum + count, 0);
    const seen =
        total === 0
            ? `${summary.events} audit event(s), no Pod request in any namespace: does the audit policy log Pods?`
            : `${summary.events} audit event(s), ${total} Pod request(s), for namespace(s) ${namespaceListing(summary)}`;
    const suggestion = closestName(summary.namespace, namespaces);
    const hint = suggestion ? `; did you mean ${JSON.stringify(suggestion)}?` : "";
    return `no Pod request for namespace ${JSON.stringify(summary.namespace)} in ${source}: nothing to check (${seen}${hint})`;
}

/** Passes only with Pod requests for the namespace and no violation among them. */
export function auditOk(summary: AuditSummary): boolean {
    return summary.violations.length === 0 && nothingToCheck(summary) === undefined;
}

/** The JSON `verify audit --json` prints, and the audit check's `data`. */
export function auditJson(summary: AuditSummary) {
    return {
        ok: auditOk(summary),
        namespace: summary.namespace,
        files: summary.files.map(({ file, compressed, events, skipped }) => ({ file, compressed, events, skipped })),
        events: summary.events,
        skipped: summary.skipped,
        podRequests: summary.podRequests,
        podRequestsByNamespace: summary.podRequestsByNamespace,
        problem: nothingToCheck(summary) ?? null,
        violations: summary.violations,
    };
}
