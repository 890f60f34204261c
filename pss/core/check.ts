/** Port of policy/checks.go: the Check / VersionedCheck model and how results are aggregated into a message. */

import type { Version } from "../../model/podSecurity";
import type { PodView } from "./visitor";

export type CheckId = string;

/** A failed check. Upstream's CheckResult{Allowed:false, ForbiddenReason, ForbiddenDetail}. */
export interface Forbidden {
    /** Succinct, always shown, e.g. "host namespaces". */
    readonly reason: string;
    /** Specifics, shown in parentheses when not empty, e.g. "hostNetwork=true". */
    readonly detail: string;
}

/** undefined means allowed: a passing check allocates nothing. */
export type CheckResult = Forbidden | undefined;

export const ALLOWED: CheckResult = undefined;

export type CheckPodFn = (pod: PodView) => CheckResult;

export interface VersionedCheck {
    /** First policy version this revision applies to (never latest). */
    readonly minimumVersion: Version;
    readonly checkPod: CheckPodFn;
    /** Baseline checks this (restricted) revision replaces while it applies. */
    readonly overrideCheckIds?: readonly CheckId[];
}

export interface Check {
    readonly id: CheckId;
    /** Baseline checks also run for restricted; restricted checks only for restricted. */
    readonly level: "baseline" | "restricted";
    /** Strictly increasing minimumVersion. */
    readonly versions: readonly VersionedCheck[];
}

/** Placeholder upstream uses for a check that forbids without a reason. */
export const UNKNOWN_FORBIDDEN_REASON = "unknown forbidden reason";

/** AggregateCheckResult.ForbiddenDetail: `reason (detail), reason, …`, parentheses only for non-empty details. */
export function forbiddenDetail(results: readonly Forbidden[]): string {
    let out = "";
    for (let i = 0; i < results.length; i++) {
        if (i > 0) out += ", ";
        out += results[i].reason;
        if (results[i].detail !== "") out += ` (${results[i].detail})`;
    }
    return out;
}
