/**
 * hostPorts (baseline): containers[*].ports[*].hostPort must be unset or 0. v1.0+.
 * Port of policy/check_hostPorts.go, k8s.io/pod-security-admission@v0.37.2.
 */

import { majorMinorVersion } from "../../model/podSecurity";
import { ALLOWED, type Check, type CheckResult } from "../core/check";
import { sortedList } from "../core/goFormat";
import { itemsOf, joinQuote, pluralize, str } from "../core/helpers";
import type { PodView } from "../core/visitor";

export const checkHostPorts: Check = {
    id: "hostPorts",
    level: "baseline",
    versions: [{ minimumVersion: majorMinorVersion(1, 0), checkPod: hostPorts_1_0 }],
};

export function hostPorts_1_0(pod: PodView): CheckResult {
    let badContainers: string[] | undefined;
    let forbiddenHostPorts: string[] | undefined;
    for (const container of pod.containers) {
        let valid = true;
        for (const port of itemsOf(container.ports)) {
            const hostPort = port?.hostPort;
            if (hostPort != null && hostPort !== 0) {
                valid = false;
                (forbiddenHostPorts ??= []).push(String(hostPort));
            }
        }
        if (!valid) (badContainers ??= []).push(str(container.name));
    }
    if (badContainers === undefined) return ALLOWED;
    // Ports are sorted as strings (upstream collects them in a sets.String), so "100" sorts before "20".
    const ports = sortedList(forbiddenHostPorts ?? []);
    return {
        reason: "hostPort",
        detail: `${pluralize("container", "containers", badContainers.length)} ${joinQuote(badContainers)} ${pluralize("uses", "use", badContainers.length)} ${pluralize("hostPort", "hostPorts", ports.length)} ${ports.join(", ")}`,
    };
}
