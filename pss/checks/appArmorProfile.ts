/**
 * appArmorProfile (baseline): AppArmor may not be disabled or overridden. The fields
 * (spec/containers securityContext.appArmorProfile.type) allow RuntimeDefault, Localhost or unset; the
 * deprecated container.apparmor.security.beta.kubernetes.io/* annotations allow runtime/default,
 * localhost/*, empty or unset. One revision, v1.0+.
 * Port of policy/check_appArmorProfile.go, k8s.io/pod-security-admission@v0.37.2.
 */

import { majorMinorVersion } from "../../model/podSecurity";
import { ALLOWED, type Check, type CheckResult } from "../core/check";
import { goQuote, sortedList, sortedStrings } from "../core/goFormat";
import { joinQuote, pluralize, str } from "../core/helpers";
import type { ProfileShape } from "../core/podShape";
import type { PodView } from "../core/visitor";

export const checkAppArmorProfile: Check = {
    id: "appArmorProfile",
    level: "baseline",
    versions: [{ minimumVersion: majorMinorVersion(1, 0), checkPod: appArmorProfile_1_0 }],
};

const ANNOTATION_KEY_PREFIX = "container.apparmor.security.beta.kubernetes.io/";

function allowedAnnotationValue(profile: string): boolean {
    return profile.length === 0 || profile === "runtime/default" || profile.startsWith("localhost/");
}

function allowedProfileType(profile: ProfileShape): boolean {
    return profile.type === "RuntimeDefault" || profile.type === "Localhost";
}

export function appArmorProfile_1_0(pod: PodView): CheckResult {
    let badSetters: string[] | undefined; // things that explicitly set appArmorProfile.type to a bad value
    let badValues: string[] | undefined;

    const podProfile = pod.spec.securityContext?.appArmorProfile;
    if (podProfile != null && !allowedProfileType(podProfile)) {
        (badSetters ??= []).push("pod");
        (badValues ??= []).push(str(podProfile.type));
    }

    let badContainers: string[] | undefined;
    for (const c of pod.containers) {
        const profile = c.securityContext?.appArmorProfile;
        if (profile != null && !allowedProfileType(profile)) {
            (badContainers ??= []).push(str(c.name));
            (badValues ??= []).push(str(profile.type));
        }
    }
    if (badContainers !== undefined) {
        (badSetters ??= []).push(`${pluralize("container", "containers", badContainers.length)} ${joinQuote(badContainers)}`);
    }

    let forbiddenAnnotations: string[] | undefined;
    const annotations = pod.metadata.annotations;
    if (annotations != null && typeof annotations === "object") {
        for (const key in annotations) {
            if (!Object.hasOwn(annotations, key) || !key.startsWith(ANNOTATION_KEY_PREFIX)) continue;
            const value = str(annotations[key]);
            if (!allowedAnnotationValue(value)) (forbiddenAnnotations ??= []).push(`${key}=${goQuote(value)}`);
        }
    }

    const badValueList = badValues === undefined ? [] : sortedList(badValues);
    if (forbiddenAnnotations !== undefined) {
        badValueList.push(...sortedStrings(forbiddenAnnotations));
        (badSetters ??= []).push(pluralize("annotation", "annotations", forbiddenAnnotations.length));
    }

    if (badSetters === undefined) return ALLOWED;
    return {
        reason: pluralize("forbidden AppArmor profile", "forbidden AppArmor profiles", badValueList.length),
        detail: `${badSetters.join(" and ")} must not set AppArmor profile type to ${joinQuote(badValueList)}`,
    };
}
