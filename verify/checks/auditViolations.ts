/** What the audit log says about the namespace's Pods → checklist item. Pure. */

import { AuditSummary } from "../audit/auditScan";
import { auditJson, nothingToCheck } from "../audit/auditVerdict";
import { groupLines } from "../audit/violationText";
import { CheckResult, checkResult } from "./checkResult";

export function auditResult(summary: AuditSummary, source: string): CheckResult {
    const { namespace, violations } = summary;
    const data = { source, ...auditJson(summary) };
    const skipped = summary.skipped > 0 ? [`${summary.skipped} line(s) were not audit events and were skipped`] : [];
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
    // Silence is not evidence: the policy may not log this namespace, the log was rotated, or the name is wrong.
    const problem = nothingToCheck(summary);
    if (problem !== undefined) return checkResult("audit", "failed", problem, skipped, data);
    return checkResult("audit", "passed", `no Pod Security violation in ${namespace} (${summary.podRequests} Pod request(s) in ${summary.events} event(s) from ${source})`, skipped, data);
}

/** The audit log given could not be judged at all (unreadable, corrupt, not an audit log): bad input, exit 2. */
export function unreadableAuditResult(source: string, why: string): CheckResult {
    return { ...checkResult("audit", "failed", why, [], { source }), badInput: true };
}
