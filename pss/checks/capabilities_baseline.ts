/**
 * capabilities_baseline (baseline): securityContext.capabilities.add may only hold the default set
 * (AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID,
 * SETPCAP, SETUID, SYS_CHROOT). v1.0+. Overridden at restricted from v1.22 by capabilities_restricted.
 * Port of policy/check_capabilities_baseline.go, k8s.io/pod-security-admission@v0.37.2.
 */

import { majorMinorVersion } from "../../model/podSecurity";
import { ALLOWED, type Check, type CheckResult } from "../core/check";
import { sortedList } from "../core/goFormat";
import { itemsOf, joinQuote, pluralize, str } from "../core/helpers";
import type { PodView } from "../core/visitor";

export const CHECK_CAPABILITIES_BASELINE_ID = "capabilities_baseline";

export const checkCapabilitiesBaseline: Check = {
    id: CHECK_CAPABILITIES_BASELINE_ID,
    level: "baseline",
    versions: [{ minimumVersion: majorMinorVersion(1, 0), checkPod: capabilitiesBaseline_1_0 }],
};

const capabilitiesAllowed_1_0: ReadonlySet<string> = new Set([
    "AUDIT_WRITE",
    "CHOWN",
    "DAC_OVERRIDE",
    "FOWNER",
    "FSETID",
    "KILL",
    "MKNOD",
    "NET_BIND_SERVICE",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_CHROOT",
]);

export function capabilitiesBaseline_1_0(pod: PodView): CheckResult {
    let badContainers: string[] | undefined;
    let nonDefaultCapabilities: string[] | undefined;
    for (const container of pod.containers) {
        const capabilities = container.securityContext?.capabilities;
        if (capabilities == null) continue;
        let valid = true;
        for (const c of itemsOf(capabilities.add)) {
            const capability = str(c);
            if (!capabilitiesAllowed_1_0.has(capability)) {
                valid = false;
                (nonDefaultCapabilities ??= []).push(capability);
            }
        }
        if (!valid) (badContainers ??= []).push(str(container.name));
    }
    if (badContainers === undefined) return ALLOWED;
    return {
        reason: "non-default capabilities",
        detail: `${pluralize("container", "containers", badContainers.length)} ${joinQuote(badContainers)} must not include ${joinQuote(sortedList(nonDefaultCapabilities ?? []))} in securityContext.capabilities.add`,
    };
}
