/**
 * seccompProfile_baseline (baseline): seccomp may not be disabled. v1.0–v1.18 read the alpha annotations
 * (seccomp.security.alpha.kubernetes.io/pod, container.seccomp.security.alpha.kubernetes.io/<name>:
 * runtime/default, docker/default or localhost/* allowed); v1.19+ read securityContext.seccompProfile.type
 * (RuntimeDefault, Localhost or unset). Overridden at restricted from v1.19 by seccompProfile_restricted.
 * Port of policy/check_seccompProfile_baseline.go, k8s.io/pod-security-admission@v0.37.2.
 */

import { majorMinorVersion } from "../../model/podSecurity";
import { ALLOWED, type Check, type CheckResult } from "../core/check";
import { goQuote, sortedList } from "../core/goFormat";
import { joinQuote, pluralize, str } from "../core/helpers";
import type { ProfileShape } from "../core/podShape";
import type { PodView } from "../core/visitor";

const ANNOTATION_KEY_POD = "seccomp.security.alpha.kubernetes.io/pod";
const ANNOTATION_KEY_CONTAINER_PREFIX = "container.seccomp.security.alpha.kubernetes.io/";

export const CHECK_SECCOMP_BASELINE_ID = "seccompProfile_baseline";

export const checkSeccompBaseline: Check = {
    id: CHECK_SECCOMP_BASELINE_ID,
    level: "baseline",
    versions: [
        { minimumVersion: majorMinorVersion(1, 0), checkPod: seccompProfileBaseline_1_0 },
        { minimumVersion: majorMinorVersion(1, 19), checkPod: seccompProfileBaseline_1_19 },
    ],
};

/** RuntimeDefault or Localhost; shared with seccompProfile_restricted. */
export function validSeccomp(profile: ProfileShape): boolean {
    return profile.type === "Localhost" || profile.type === "RuntimeDefault";
}

function validSeccompAnnotationValue(value: string): boolean {
    return value === "runtime/default" || value === "docker/default" || value.startsWith("localhost/");
}

/** Baseline policy on the seccomp alpha annotations. */
export function seccompProfileBaseline_1_0(pod: PodView): CheckResult {
    const annotations = pod.metadata.annotations;
    if (annotations == null || typeof annotations !== "object") return ALLOWED;
    let forbidden = inspectAnnotation(annotations, ANNOTATION_KEY_POD, undefined);
    for (const container of pod.containers) {
        forbidden = inspectAnnotation(annotations, ANNOTATION_KEY_CONTAINER_PREFIX + str(container.name), forbidden);
    }

    if (forbidden === undefined) return ALLOWED;
    const annotationList = sortedList(forbidden);
    return {
        reason: "seccompProfile",
        detail: `forbidden ${pluralize("annotation", "annotations", annotationList.length)} ${annotationList.join(", ")}`,
    };
}

/** Adds `key="value"` to forbidden when the annotation is present with a disallowed value. */
function inspectAnnotation(
    annotations: Record<string, unknown>,
    key: string,
    forbidden: string[] | undefined,
): string[] | undefined {
    if (!Object.hasOwn(annotations, key)) return forbidden;
    const value = str(annotations[key]);
    if (validSeccompAnnotationValue(value)) return forbidden;
    (forbidden ??= []).push(`${key}=${goQuote(value)}`);
    return forbidden;
}

/** Baseline policy on securityContext.seccompProfile. */
export function seccompProfileBaseline_1_19(pod: PodView): CheckResult {
    let badSetters: string[] | undefined; // things that explicitly set seccompProfile.type to a bad value
    let badValues: string[] | undefined;

    const podProfile = pod.spec.securityContext?.seccompProfile;
    if (podProfile != null && !validSeccomp(podProfile)) {
        (badSetters ??= []).push("pod");
        (badValues ??= []).push(str(podProfile.type));
    }

    let explicitlyBadContainers: string[] | undefined;
    for (const container of pod.containers) {
        const profile = container.securityContext?.seccompProfile;
        if (profile != null && !validSeccomp(profile)) {
            (explicitlyBadContainers ??= []).push(str(container.name));
            (badValues ??= []).push(str(profile.type));
        }
    }
    if (explicitlyBadContainers !== undefined) {
        (badSetters ??= []).push(
            `${pluralize("container", "containers", explicitlyBadContainers.length)} ${joinQuote(explicitlyBadContainers)}`,
        );
    }

    if (badSetters === undefined) return ALLOWED;
    return {
        reason: "seccompProfile",
        detail: `${badSetters.join(" and ")} must not set securityContext.seccompProfile.type to ${joinQuote(sortedList(badValues ?? []))}`,
    };
}
