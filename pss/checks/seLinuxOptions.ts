/**
 * seLinuxOptions (baseline): seLinuxOptions.type may only be unset/empty or an allowed container type, and
 * user and role must be unset/empty, on the pod and on every container. v1.0+: container_t,
 * container_init_t, container_kvm_t; v1.31+ also container_engine_t.
 * Port of policy/check_seLinuxOptions.go, k8s.io/pod-security-admission@v0.37.2.
 */

import { majorMinorVersion } from "../../model/podSecurity";
import { ALLOWED, type Check, type CheckResult } from "../core/check";
import { sortedList } from "../core/goFormat";
import { joinQuote, pluralize, str } from "../core/helpers";
import type { SELinuxOptionsShape } from "../core/podShape";
import type { PodView } from "../core/visitor";

export const checkSELinuxOptions: Check = {
    id: "seLinuxOptions",
    level: "baseline",
    versions: [
        { minimumVersion: majorMinorVersion(1, 0), checkPod: seLinuxOptions1_0 },
        { minimumVersion: majorMinorVersion(1, 31), checkPod: seLinuxOptions1_31 },
    ],
};

const selinuxAllowedTypes1_0: ReadonlySet<string> = new Set(["", "container_t", "container_init_t", "container_kvm_t"]);
const selinuxAllowedTypes1_31: ReadonlySet<string> = new Set([...selinuxAllowedTypes1_0, "container_engine_t"]);

export function seLinuxOptions1_0(pod: PodView): CheckResult {
    return seLinuxOptions(pod, selinuxAllowedTypes1_0);
}

export function seLinuxOptions1_31(pod: PodView): CheckResult {
    return seLinuxOptions(pod, selinuxAllowedTypes1_31);
}

// What is wrong with one seLinuxOptions, as bits, so validation allocates nothing.
const BAD_TYPE = 1;
const USER_SET = 2;
const ROLE_SET = 4;

function invalidFields(opts: SELinuxOptionsShape, allowedTypes: ReadonlySet<string>): number {
    let problems = 0;
    if (!allowedTypes.has(str(opts.type))) problems |= BAD_TYPE;
    if (str(opts.user).length > 0) problems |= USER_SET;
    if (str(opts.role).length > 0) problems |= ROLE_SET;
    return problems;
}

/** What the bad options set, across the pod and its containers. */
interface Findings {
    badTypes: string[];
    setUser: boolean;
    setRole: boolean;
}

function record(findings: Findings | undefined, opts: SELinuxOptionsShape, problems: number): Findings {
    const f = findings ?? { badTypes: [], setUser: false, setRole: false };
    if (problems & BAD_TYPE) f.badTypes.push(str(opts.type));
    if (problems & USER_SET) f.setUser = true;
    if (problems & ROLE_SET) f.setRole = true;
    return f;
}

function seLinuxOptions(pod: PodView, allowedTypes: ReadonlySet<string>): CheckResult {
    let badSetters: string[] | undefined; // sources that set bad seLinuxOptions
    let findings: Findings | undefined;

    const podOptions = pod.spec.securityContext?.seLinuxOptions;
    if (podOptions != null) {
        const problems = invalidFields(podOptions, allowedTypes);
        if (problems !== 0) {
            findings = record(findings, podOptions, problems);
            (badSetters ??= []).push("pod");
        }
    }

    let badContainers: string[] | undefined;
    for (const container of pod.containers) {
        const options = container.securityContext?.seLinuxOptions;
        if (options == null) continue;
        const problems = invalidFields(options, allowedTypes);
        if (problems !== 0) {
            findings = record(findings, options, problems);
            (badContainers ??= []).push(str(container.name));
        }
    }
    if (badContainers !== undefined) {
        (badSetters ??= []).push(`${pluralize("container", "containers", badContainers.length)} ${joinQuote(badContainers)}`);
    }

    if (badSetters === undefined || findings === undefined) return ALLOWED;
    const badData: string[] = [];
    if (findings.badTypes.length > 0) {
        const types = sortedList(findings.badTypes);
        badData.push(`${pluralize("type", "types", types.length)} ${joinQuote(types)}`);
    }
    if (findings.setUser) badData.push("user may not be set");
    if (findings.setRole) badData.push("role may not be set");
    return {
        reason: "seLinuxOptions",
        detail: `${badSetters.join(" and ")} set forbidden securityContext.seLinuxOptions: ${badData.join("; ")}`,
    };
}
