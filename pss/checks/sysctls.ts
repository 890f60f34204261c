/**
 * sysctls (baseline): spec.securityContext.sysctls may only name the "safe" (namespaced, isolated) sysctls.
 * The list grows: v1.0, v1.27 (+ip_local_reserved_ports), v1.29 (+tcp_keepalive_time, tcp_fin_timeout,
 * tcp_keepalive_intvl, tcp_keepalive_probes), v1.32 (+tcp_rmem, tcp_wmem), v1.37 (+tcp_slow_start_after_idle,
 * tcp_notsent_lowat).
 * Port of policy/check_sysctls.go, k8s.io/pod-security-admission@v0.37.2.
 */

import { majorMinorVersion } from "../../model/podSecurity";
import { ALLOWED, type Check, type CheckResult } from "../core/check";
import { itemsOf, str } from "../core/helpers";
import type { PodView } from "../core/visitor";

export const checkSysctls: Check = {
    id: "sysctls",
    level: "baseline",
    versions: [
        { minimumVersion: majorMinorVersion(1, 0), checkPod: sysctlsV1Dot0 },
        { minimumVersion: majorMinorVersion(1, 27), checkPod: sysctlsV1Dot27 },
        { minimumVersion: majorMinorVersion(1, 29), checkPod: sysctlsV1Dot29 },
        { minimumVersion: majorMinorVersion(1, 32), checkPod: sysctlsV1Dot32 },
        { minimumVersion: majorMinorVersion(1, 37), checkPod: sysctlsV1Dot37 },
    ],
};

const sysctlsAllowedV1Dot0: ReadonlySet<string> = new Set([
    "kernel.shm_rmid_forced",
    "net.ipv4.ip_local_port_range",
    "net.ipv4.tcp_syncookies",
    "net.ipv4.ping_group_range",
    "net.ipv4.ip_unprivileged_port_start",
]);
const sysctlsAllowedV1Dot27: ReadonlySet<string> = new Set([...sysctlsAllowedV1Dot0, "net.ipv4.ip_local_reserved_ports"]);
const sysctlsAllowedV1Dot29: ReadonlySet<string> = new Set([
    ...sysctlsAllowedV1Dot27,
    "net.ipv4.tcp_keepalive_time",
    "net.ipv4.tcp_fin_timeout",
    "net.ipv4.tcp_keepalive_intvl",
    "net.ipv4.tcp_keepalive_probes",
]);
const sysctlsAllowedV1Dot32: ReadonlySet<string> = new Set([...sysctlsAllowedV1Dot29, "net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem"]);
const sysctlsAllowedV1Dot37: ReadonlySet<string> = new Set([
    ...sysctlsAllowedV1Dot32,
    "net.ipv4.tcp_slow_start_after_idle",
    "net.ipv4.tcp_notsent_lowat",
]);

export function sysctlsV1Dot0(pod: PodView): CheckResult {
    return sysctls(pod, sysctlsAllowedV1Dot0);
}
export function sysctlsV1Dot27(pod: PodView): CheckResult {
    return sysctls(pod, sysctlsAllowedV1Dot27);
}
export function sysctlsV1Dot29(pod: PodView): CheckResult {
    return sysctls(pod, sysctlsAllowedV1Dot29);
}
export function sysctlsV1Dot32(pod: PodView): CheckResult {
    return sysctls(pod, sysctlsAllowedV1Dot32);
}
export function sysctlsV1Dot37(pod: PodView): CheckResult {
    return sysctls(pod, sysctlsAllowedV1Dot37);
}

function sysctls(pod: PodView, allowed: ReadonlySet<string>): CheckResult {
    let forbiddenSysctls: string[] | undefined;
    for (const sysctl of itemsOf(pod.spec.securityContext?.sysctls)) {
        const name = str(sysctl?.name);
        if (!allowed.has(name)) (forbiddenSysctls ??= []).push(name);
    }
    if (forbiddenSysctls === undefined) return ALLOWED;
    // In the pod's order, not sorted or de-duplicated.
    return { reason: "forbidden sysctls", detail: forbiddenSysctls.join(", ") };
}
