/** What the audit log says about the namespace's Pods → checklist item. Pure. */

import { auditJson, AuditSummary } from "../audit/auditScan";
import { groupLines } from "../audit/violationText";
import { CheckResult, checkResult } from "./checkResult";

export function auditResult(summary: AuditSummary, source: string, namespace: string): CheckResult {
    const data = { source, podRequests: summary.podRequests, ...auditJson(summary) };
    const skipped = summary.skipped > 0 ? [`${summary.skipped} line(s) were not audit events and were skipped`] : [];
    const { violations } = summary;
    if (violations.length > 0) {
        const refused = violations.filter((v) => v.decision === "refused").length;
        return checkResult(
            "audit",
            "failed",
            `${violations.length} Pod Security violation(s) in ${namespace}: ${refused} refused, ${violations.length - refused} admitted with audit-violations`,
            [...groupLines(violations), ...skipped],
            data,
        );
    }
    if (summary.podRequests === 0) {
        // Silence is not evidence: the policy may not log this namespace, or the log was rotated.
        return checkResult("audit", "failed", `${source} has no Pod requests for namespace ${namespace}: nothing to check (does the audit policy log it?)`, skipped, data);
    }
    return checkResult("audit", "passed", `no Pod Security violation in ${namespace} (${summary.podRequests} Pod request(s) in ${summary.events} event(s) from ${source})`, skipped, data);
}
