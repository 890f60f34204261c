/**
 * runAsUser (restricted): the pod and containers must not set runAsUser: 0. v1.23+; from v1.35 pods with
 * hostUsers: false are exempt.
 * Port of policy/check_runAsUser.go, k8s.io/pod-security-admission@v0.37.2.
 */

import { majorMinorVersion } from "../../model/podSecurity";
import { ALLOWED, type Check, type CheckResult } from "../core/check";
import { joinQuote, pluralize, relaxPolicyForUserNamespacePod, str } from "../core/helpers";
import type { PodView } from "../core/visitor";

export const checkRunAsUser: Check = {
    id: "runAsUser",
    level: "restricted",
    versions: [
        { minimumVersion: majorMinorVersion(1, 23), checkPod: runAsUser1_23 },
        { minimumVersion: majorMinorVersion(1, 35), checkPod: runAsUser1_35 },
    ],
};

/** KEP-127: user-namespaced pods are relaxed unconditionally from v1.35 (upstream dropped the old feature gate). */
export function runAsUser1_35(pod: PodView): CheckResult {
    if (relaxPolicyForUserNamespacePod(pod.spec)) return ALLOWED;
    return runAsUser1_23(pod);
}

export function runAsUser1_23(pod: PodView): CheckResult {
    let badSetters: string[] | undefined; // things that explicitly set runAsUser=0
    if (pod.spec.securityContext?.runAsUser === 0) (badSetters ??= []).push("pod");

    let explicitlyBadContainers: string[] | undefined;
    for (const container of pod.containers) {
        if (container.securityContext?.runAsUser === 0) (explicitlyBadContainers ??= []).push(str(container.name));
    }
    if (explicitlyBadContainers !== undefined) {
        (badSetters ??= []).push(
            `${pluralize("container", "containers", explicitlyBadContainers.length)} ${joinQuote(explicitlyBadContainers)}`,
        );
    }
    if (badSetters === undefined) return ALLOWED;
    return { reason: "runAsUser=0", detail: `${badSetters.join(" and ")} must not set runAsUser=0` };
}
