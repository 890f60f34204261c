/**
 * hostProbesAndHostLifecycle (baseline): the host of httpGet/tcpSocket in liveness, readiness and startup
 * probes and in postStart/preStop handlers must be unset or "". v1.34+.
 * Port of policy/check_hostProbesAndhostLifecycle.go, k8s.io/pod-security-admission@v0.37.2.
 */

import { majorMinorVersion } from "../../model/podSecurity";
import { ALLOWED, type Check, type CheckResult } from "../core/check";
import { sortedList } from "../core/goFormat";
import { joinQuote, pluralize, str } from "../core/helpers";
import type { HostActionShape } from "../core/podShape";
import type { PodView } from "../core/visitor";

export const checkHostProbesAndHostLifecycle: Check = {
    id: "hostProbesAndHostLifecycle",
    level: "baseline",
    versions: [{ minimumVersion: majorMinorVersion(1, 34), checkPod: hostProbesAndHostLifecycleV1Dot34 }],
};

export function hostProbesAndHostLifecycleV1Dot34(pod: PodView): CheckResult {
    let badContainers: string[] | undefined;
    let forbidden: string[] | undefined;
    for (const container of pod.containers) {
        const lifecycle = container.lifecycle;
        const before = forbidden?.length ?? 0;
        forbidden = collectForbiddenHosts(container.livenessProbe, forbidden);
        forbidden = collectForbiddenHosts(container.readinessProbe, forbidden);
        forbidden = collectForbiddenHosts(container.startupProbe, forbidden);
        if (lifecycle != null) {
            forbidden = collectForbiddenHosts(lifecycle.postStart, forbidden);
            forbidden = collectForbiddenHosts(lifecycle.preStop, forbidden);
        }
        if ((forbidden?.length ?? 0) > before) (badContainers ??= []).push(str(container.name));
    }
    if (badContainers === undefined) return ALLOWED;
    // Upstream keeps both in sets, so containers as well as hosts are de-duplicated and sorted.
    const containers = sortedList(badContainers);
    const hosts = sortedList(forbidden ?? []);
    return {
        reason: "probe or lifecycle host",
        detail: `${pluralize("container", "containers", containers.length)} ${joinQuote(containers)} ${pluralize("uses", "use", containers.length)} ${pluralize("probe or lifecycle host", "probe or lifecycle hosts", hosts.length)} ${joinQuote(hosts)}`,
    };
}

/** getForbiddenHostProbes / getForbiddenHostLifecycle: a probe and a handler are read the same way. */
function collectForbiddenHosts(
    action: HostActionShape | null | undefined,
    forbidden: string[] | undefined,
): string[] | undefined {
    if (action == null) return forbidden;
    const httpGetHost = action.httpGet != null ? str(action.httpGet.host) : "";
    if (httpGetHost !== "") (forbidden ??= []).push(httpGetHost);
    const tcpSocketHost = action.tcpSocket != null ? str(action.tcpSocket.host) : "";
    if (tcpSocketHost !== "") (forbidden ??= []).push(tcpSocketHost);
    return forbidden;
}
