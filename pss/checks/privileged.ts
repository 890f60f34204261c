/**
 * privileged (baseline): containers must not set securityContext.privileged=true. v1.0+.
 * Port of policy/check_privileged.go, k8s.io/pod-security-admission@v0.37.2.
 */

import { majorMinorVersion } from "../../model/podSecurity";
import { ALLOWED, type Check, type CheckResult } from "../core/check";
import { joinQuote, pluralize, str } from "../core/helpers";
import type { PodView } from "../core/visitor";

export const checkPrivileged: Check = {
    id: "privileged",
    level: "baseline",
    versions: [{ minimumVersion: majorMinorVersion(1, 0), checkPod: privileged_1_0 }],
};

export function privileged_1_0(pod: PodView): CheckResult {
    let badContainers: string[] | undefined;
    for (const container of pod.containers) {
        if (container.securityContext?.privileged === true) (badContainers ??= []).push(str(container.name));
    }
    if (badContainers === undefined) return ALLOWED;
    return {
        reason: "privileged",
        detail: `${pluralize("container", "containers", badContainers.length)} ${joinQuote(badContainers)} must not set securityContext.privileged=true`,
    };
}
