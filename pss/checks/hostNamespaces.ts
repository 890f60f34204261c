/**
 * hostNamespaces (baseline): spec.hostNetwork, hostPID and hostIPC must be unset or false. v1.0+.
 * Port of policy/check_hostNamespaces.go, k8s.io/pod-security-admission@v0.37.2.
 */

import { majorMinorVersion } from "../../model/podSecurity";
import { ALLOWED, type Check, type CheckResult } from "../core/check";
import type { PodView } from "../core/visitor";

export const checkHostNamespaces: Check = {
    id: "hostNamespaces",
    level: "baseline",
    versions: [{ minimumVersion: majorMinorVersion(1, 0), checkPod: hostNamespaces_1_0 }],
};

export function hostNamespaces_1_0(pod: PodView): CheckResult {
    const spec = pod.spec;
    if (spec.hostNetwork !== true && spec.hostPID !== true && spec.hostIPC !== true) return ALLOWED;
    const hostNamespaces: string[] = [];
    if (spec.hostNetwork === true) hostNamespaces.push("hostNetwork=true");
    if (spec.hostPID === true) hostNamespaces.push("hostPID=true");
    if (spec.hostIPC === true) hostNamespaces.push("hostIPC=true");
    return { reason: "host namespaces", detail: hostNamespaces.join(", ") };
}
