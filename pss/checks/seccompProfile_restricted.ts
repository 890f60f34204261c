/**
 * seccompProfile_restricted (restricted): seccompProfile.type must be RuntimeDefault or Localhost, set on
 * the pod or on every container. v1.19+, overriding seccompProfile_baseline; from v1.25 Windows pods are
 * exempt.
 * Port of policy/check_seccompProfile_restricted.go, k8s.io/pod-security-admission@v0.37.2.
 */

import { majorMinorVersion } from "../../model/podSecurity";
import { ALLOWED, type Check, type CheckResult } from "../core/check";
import { sortedList } from "../core/goFormat";
import { joinQuote, pluralize, str } from "../core/helpers";
import type { PodView } from "../core/visitor";
import { CHECK_SECCOMP_BASELINE_ID, validSeccomp } from "./seccompProfile_baseline";
import { isWindowsPod } from "./windowsPod";

export const checkSeccompProfileRestricted: Check = {
    id: "seccompProfile_restricted",
    level: "restricted",
    versions: [
        {
            minimumVersion: majorMinorVersion(1, 19),
            checkPod: seccompProfileRestricted_1_19,
            overrideCheckIds: [CHECK_SECCOMP_BASELINE_ID],
        },
        {
            minimumVersion: majorMinorVersion(1, 25),
            checkPod: seccompProfileRestricted_1_25,
            overrideCheckIds: [CHECK_SECCOMP_BASELINE_ID],
        },
    ],
};

export function seccompProfileRestricted_1_19(pod: PodView): CheckResult {
    let badSetters: string[] | undefined; // things that explicitly set seccompProfile.type to a bad value
    let badValues: string[] | undefined;

    let podSeccompSet = false;
    const podProfile = pod.spec.securityContext?.seccompProfile;
    if (podProfile != null) {
        if (!validSeccomp(podProfile)) {
            (badSetters ??= []).push("pod");
            (badValues ??= []).push(str(podProfile.type));
        } else {
            podSeccompSet = true;
        }
    }

    let explicitlyBadContainers: string[] | undefined; // set seccompProfile.type to a bad value
    let implicitlyBadContainers: string[] | undefined; // unset and not covered by a valid pod-level profile
    for (const container of pod.containers) {
        const profile = container.securityContext?.seccompProfile;
        if (profile != null) {
            if (!validSeccomp(profile)) {
                (explicitlyBadContainers ??= []).push(str(container.name));
                (badValues ??= []).push(str(profile.type));
            }
        } else if (!podSeccompSet) {
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
            reason: "seccompProfile",
            detail: `${badSetters.join(" and ")} must not set securityContext.seccompProfile.type to ${joinQuote(sortedList(badValues ?? []))}`,
        };
    }
    if (implicitlyBadContainers !== undefined) {
        return {
            reason: "seccompProfile",
            detail: `pod or ${pluralize("container", "containers", implicitlyBadContainers.length)} ${joinQuote(implicitlyBadContainers)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"`,
        };
    }
    return ALLOWED;
}

export function seccompProfileRestricted_1_25(pod: PodView): CheckResult {
    // API validation forbids seccompProfile on Windows pods, so they are admitted without it.
    if (isWindowsPod(pod.spec)) return ALLOWED;
    return seccompProfileRestricted_1_19(pod);
}
