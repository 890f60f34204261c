/**
 * windowsHostProcess (baseline): the pod and containers must not set
 * securityContext.windowsOptions.hostProcess=true. v1.0+.
 * Port of policy/check_windowsHostProcess.go, k8s.io/pod-security-admission@v0.37.2.
 */

import { majorMinorVersion } from "../../model/podSecurity";
import { ALLOWED, type Check, type CheckResult } from "../core/check";
import { joinQuote, pluralize, str } from "../core/helpers";
import type { PodView } from "../core/visitor";

export const checkWindowsHostProcess: Check = {
    id: "windowsHostProcess",
    level: "baseline",
    versions: [{ minimumVersion: majorMinorVersion(1, 0), checkPod: windowsHostProcess_1_0 }],
};

export function windowsHostProcess_1_0(pod: PodView): CheckResult {
    let badContainers: string[] | undefined;
    for (const container of pod.containers) {
        if (container.securityContext?.windowsOptions?.hostProcess === true) (badContainers ??= []).push(str(container.name));
    }
    const podSpecForbidden = pod.spec.securityContext?.windowsOptions?.hostProcess === true;
    if (!podSpecForbidden && badContainers === undefined) return ALLOWED;

    const forbiddenSetters: string[] = [];
    if (podSpecForbidden) forbiddenSetters.push("pod");
    if (badContainers !== undefined) {
        forbiddenSetters.push(`${pluralize("container", "containers", badContainers.length)} ${joinQuote(badContainers)}`);
    }
    return {
        reason: "hostProcess",
        detail: `${forbiddenSetters.join(" and ")} must not set securityContext.windowsOptions.hostProcess=true`,
    };
}
