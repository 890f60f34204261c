/** The outcome of one checklist item. */

export type CheckId = "raycluster" | "pods" | "audit" | "job" | "pip";

export type CheckStatus = "passed" | "failed" | "skipped";

export interface CheckResult {
    id: CheckId;
    title: string;
    status: CheckStatus;
    /** One line: what was found. */
    summary: string;
    /** Further lines: messages, log tails, violations. */
    details: string[];
    /** Machine-readable facts for `--json`. */
    data?: Record<string, unknown>;
    /** The check could not judge what the user gave it (an audit log that is not one): verify exits 2. */
    badInput?: boolean;
}

export const CHECK_TITLES: Record<CheckId, string> = {
    raycluster: "RayCluster ready",
    pods: "Pods",
    audit: "Audit log",
    job: "Example job",
    pip: "pip under restricted",
};

export function checkResult(id: CheckId, status: CheckStatus, summary: string, details: string[] = [], data?: Record<string, unknown>): CheckResult {
    return { id, title: CHECK_TITLES[id], status, summary, details, ...(data ? { data } : {}) };
}
