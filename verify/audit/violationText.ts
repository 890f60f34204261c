/** Human-readable lines for Pod Security violations, shared by `verify audit` and the checklist. */

import { PodSecurityViolation } from "./auditEvent";

export function podLabel(violation: PodSecurityViolation): string {
    // An admitted generateName'd Pod is not named in a Metadata-level event.
    return violation.pod || "(generated name not logged)";
}

export function violationLine(violation: PodSecurityViolation): string {
    return `${violation.time} ${violation.decision} ${violation.verb} ${podLabel(violation)}: ${violation.message}`;
}

export interface ViolationGroup {
    decision: PodSecurityViolation["decision"];
    message: string;
    pods: string[];
}

/** The operator retries a refused create again and again: one group per distinct decision and message. */
export function groupViolations(violations: readonly PodSecurityViolation[]): ViolationGroup[] {
    const groups = new Map<string, ViolationGroup>();
    for (const violation of violations) {
        const key = `${violation.decision}\u0000${violation.message}`;
        const group = groups.get(key) ?? { decision: violation.decision, message: violation.message, pods: [] };
        group.pods.push(podLabel(violation));
        groups.set(key, group);
    }
    return [...groups.values()];
}

export function groupLines(violations: readonly PodSecurityViolation[], maxPodsShown = 3): string[] {
    return groupViolations(violations).map((group) => {
        const shown = group.pods.slice(0, maxPodsShown).join(", ");
        const more = group.pods.length > maxPodsShown ? ` and ${group.pods.length - maxPodsShown} more` : "";
        return `${group.decision} ×${group.pods.length} (${shown}${more}): ${group.message}`;
    });
}
