/**
 * capabilities_restricted (restricted): containers must drop ALL and may only add NET_BIND_SERVICE.
 * v1.22+, overriding capabilities_baseline; from v1.25 Windows pods are exempt.
 * Port of policy/check_capabilities_restricted.go, k8s.io/pod-security-admission@v0.37.2.
 */

import { majorMinorVersion } from "../../model/podSecurity";
import { ALLOWED, type Check, type CheckResult } from "../core/check";
import { sortedList } from "../core/goFormat";
import { itemsOf, joinQuote, pluralize, str } from "../core/helpers";
import type { PodView } from "../core/visitor";
import { CHECK_CAPABILITIES_BASELINE_ID } from "./capabilities_baseline";
import { isWindowsPod } from "./windowsPod";

const CAPABILITY_ALL = "ALL";
const CAPABILITY_NET_BIND_SERVICE = "NET_BIND_SERVICE";

export const checkCapabilitiesRestricted: Check = {
    id: "capabilities_restricted",
    level: "restricted",
    versions: [
        {
            minimumVersion: majorMinorVersion(1, 22),
            checkPod: capabilitiesRestricted_1_22,
            overrideCheckIds: [CHECK_CAPABILITIES_BASELINE_ID],
        },
        {
            minimumVersion: majorMinorVersion(1, 25),
            checkPod: capabilitiesRestricted_1_25,
            overrideCheckIds: [CHECK_CAPABILITIES_BASELINE_ID],
        },
    ],
};

export function capabilitiesRestricted_1_22(pod: PodView): CheckResult {
    let containersMissingDropAll: string[] | undefined;
    let containersAddingForbidden: string[] | undefined;
    let forbiddenCapabilities: string[] | undefined;

    for (const container of pod.containers) {
        const capabilities = container.securityContext?.capabilities;
        if (capabilities == null) {
            (containersMissingDropAll ??= []).push(str(container.name));
            continue;
        }
        if (!itemsOf(capabilities.drop).includes(CAPABILITY_ALL)) {
            (containersMissingDropAll ??= []).push(str(container.name));
        }
        let addedForbidden = false;
        for (const c of itemsOf(capabilities.add)) {
            if (c !== CAPABILITY_NET_BIND_SERVICE) {
                addedForbidden = true;
                (forbiddenCapabilities ??= []).push(str(c));
            }
        }
        if (addedForbidden) (containersAddingForbidden ??= []).push(str(container.name));
    }

    if (containersMissingDropAll === undefined && containersAddingForbidden === undefined) return ALLOWED;
    const forbiddenDetails: string[] = [];
    if (containersMissingDropAll !== undefined) {
        forbiddenDetails.push(
            `${pluralize("container", "containers", containersMissingDropAll.length)} ${joinQuote(containersMissingDropAll)} must set securityContext.capabilities.drop=["ALL"]`,
        );
    }
    if (containersAddingForbidden !== undefined) {
        forbiddenDetails.push(
            `${pluralize("container", "containers", containersAddingForbidden.length)} ${joinQuote(containersAddingForbidden)} must not include ${joinQuote(sortedList(forbiddenCapabilities ?? []))} in securityContext.capabilities.add`,
        );
    }
    return { reason: "unrestricted capabilities", detail: forbiddenDetails.join("; ") };
}

export function capabilitiesRestricted_1_25(pod: PodView): CheckResult {
    // API validation forbids capabilities on Windows pods, so they are admitted without them.
    if (isWindowsPod(pod.spec)) return ALLOWED;
    return capabilitiesRestricted_1_22(pod);
}
