/**
 * allowPrivilegeEscalation (restricted): containers must set securityContext.allowPrivilegeEscalation=false.
 * v1.8+ (the field appeared in 1.8); from v1.25 Windows pods (spec.os.name=windows) are exempt.
 * Port of policy/check_allowPrivilegeEscalation.go, k8s.io/pod-security-admission@v0.37.2.
 */

import { majorMinorVersion } from "../../model/podSecurity";
import { ALLOWED, type Check, type CheckResult } from "../core/check";
import { joinQuote, pluralize, str } from "../core/helpers";
import type { PodView } from "../core/visitor";
import { isWindowsPod } from "./windowsPod";

export const checkAllowPrivilegeEscalation: Check = {
    id: "allowPrivilegeEscalation",
    level: "restricted",
    versions: [
        { minimumVersion: majorMinorVersion(1, 8), checkPod: allowPrivilegeEscalation_1_8 },
        { minimumVersion: majorMinorVersion(1, 25), checkPod: allowPrivilegeEscalation_1_25 },
    ],
};

export function allowPrivilegeEscalation_1_8(pod: PodView): CheckResult {
    let badContainers: string[] | undefined;
    for (const container of pod.containers) {
        const sc = container.securityContext;
        // nil or true is bad; only an explicit false passes
        if (sc == null || sc.allowPrivilegeEscalation == null || sc.allowPrivilegeEscalation !== false) {
            (badContainers ??= []).push(str(container.name));
        }
    }
    if (badContainers === undefined) return ALLOWED;
    return {
        reason: "allowPrivilegeEscalation != false",
        detail: `${pluralize("container", "containers", badContainers.length)} ${joinQuote(badContainers)} must set securityContext.allowPrivilegeEscalation=false`,
    };
}

export function allowPrivilegeEscalation_1_25(pod: PodView): CheckResult {
    // API validation forbids the field on Windows pods, so they are admitted without it.
    if (isWindowsPod(pod.spec)) return ALLOWED;
    return allowPrivilegeEscalation_1_8(pod);
}
