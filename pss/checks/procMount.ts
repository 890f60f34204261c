/**
 * procMount (baseline): containers' securityContext.procMount must be unset or "Default". v1.0+; from
 * v1.35 any value is allowed for pods in a user namespace (hostUsers: false). At restricted from v1.35
 * procMount_restricted overrides it and keeps the unconditional rule.
 * Port of policy/check_procMount_baseline.go, k8s.io/pod-security-admission@v0.37.2.
 */

import { majorMinorVersion } from "../../model/podSecurity";
import { ALLOWED, type Check, type CheckResult } from "../core/check";
import { sortedList } from "../core/goFormat";
import { joinQuote, pluralize, relaxPolicyForUserNamespacePod, str } from "../core/helpers";
import type { PodView } from "../core/visitor";

export const CHECK_PROC_MOUNT_BASELINE_ID = "procMount";

export const checkProcMountBaseline: Check = {
    id: CHECK_PROC_MOUNT_BASELINE_ID,
    level: "baseline",
    versions: [
        { minimumVersion: majorMinorVersion(1, 0), checkPod: procMount_1_0 },
        { minimumVersion: majorMinorVersion(1, 35), checkPod: procMount1_35baseline },
    ],
};

/** Blocks any procMount other than Default, unconditionally. */
export function procMount_1_0(pod: PodView): CheckResult {
    let badContainers: string[] | undefined;
    let forbiddenProcMountTypes: string[] | undefined;
    for (const container of pod.containers) {
        const procMount = container.securityContext?.procMount;
        // unset security context or procMount is allowed
        if (procMount != null && procMount !== "Default") {
            (badContainers ??= []).push(str(container.name));
            (forbiddenProcMountTypes ??= []).push(str(procMount));
        }
    }
    if (badContainers === undefined) return ALLOWED;
    return {
        reason: "procMount",
        detail: `${pluralize("container", "containers", badContainers.length)} ${joinQuote(badContainers)} must not set securityContext.procMount to ${joinQuote(sortedList(forbiddenProcMountTypes ?? []))}`,
    };
}

/** Blocks unmasked procMount only for pods that are not in a user namespace. */
export function procMount1_35baseline(pod: PodView): CheckResult {
    if (relaxPolicyForUserNamespacePod(pod.spec)) return ALLOWED;
    return procMount_1_0(pod);
}
