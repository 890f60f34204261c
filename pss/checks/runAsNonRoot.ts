/**
 * runAsNonRoot (restricted): runAsNonRoot must be true on the pod, or on every container that does not
 * inherit it; false is refused anywhere. v1.0+; from v1.35 pods with hostUsers: false are exempt.
 * Port of policy/check_runAsNonRoot.go, k8s.io/pod-security-admission@v0.37.2.
 */

import { majorMinorVersion } from "../../model/podSecurity";
import { ALLOWED, type Check, type CheckResult } from "../core/check";
import { joinQuote, pluralize, relaxPolicyForUserNamespacePod, str } from "../core/helpers";
import type { PodView } from "../core/visitor";

export const checkRunAsNonRoot: Check = {
    id: "runAsNonRoot",
    level: "restricted",
    versions: [
        { minimumVersion: majorMinorVersion(1, 0), checkPod: runAsNonRoot1_0 },
        { minimumVersion: majorMinorVersion(1, 35), checkPod: runAsNonRoot1_35 },
    ],
};

/** KEP-127: user-namespaced pods are relaxed unconditionally from v1.35 (upstream dropped the old feature gate). */
export function runAsNonRoot1_35(pod: PodView): CheckResult {
    if (relaxPolicyForUserNamespacePod(pod.spec)) return ALLOWED;
    return runAsNonRoot1_0(pod);
}

export function runAsNonRoot1_0(pod: PodView): CheckResult {
    let badSetters: string[] | undefined; // things that explicitly set runAsNonRoot=false

    let podRunAsNonRoot = false;
    const podValue = pod.spec.securityContext?.runAsNonRoot;
    if (podValue != null) {
        if (!podValue) (badSetters ??= []).push("pod");
        else podRunAsNonRoot = true;
    }

    let explicitlyBadContainers: string[] | undefined; // set runAsNonRoot=false
    let implicitlyBadContainers: string[] | undefined; // unset and not covered by the pod's runAsNonRoot=true
    for (const container of pod.containers) {
        const value = container.securityContext?.runAsNonRoot;
        if (value != null) {
            if (!value) (explicitlyBadContainers ??= []).push(str(container.name));
        } else if (!podRunAsNonRoot) {
            (implicitlyBadContainers ??= []).push(str(container.name));
        }
    }

    if (explicitlyBadContainers !== undefined) {
        (badSetters ??= []).push(
            `${pluralize("container", "containers", explicitlyBadContainers.length)} ${joinQuote(explicitlyBadContainers)}`,
        );
    }
    if (badSetters !== undefined) {
        return {
            reason: "runAsNonRoot != true",
            detail: `${badSetters.join(" and ")} must not set securityContext.runAsNonRoot=false`,
        };
    }
    if (implicitlyBadContainers !== undefined) {
        return {
            reason: "runAsNonRoot != true",
            detail: `pod or ${pluralize("container", "containers", implicitlyBadContainers.length)} ${joinQuote(implicitlyBadContainers)} must set securityContext.runAsNonRoot=true`,
        };
    }
    return ALLOWED;
}
