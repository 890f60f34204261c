/**
 * hostPathVolumes (baseline): spec.volumes[*].hostPath must be unset. v1.0+. Overridden at restricted by
 * restrictedVolumes, which forbids hostPath among other volume types.
 * Port of policy/check_hostPathVolumes.go, k8s.io/pod-security-admission@v0.37.2.
 */

import { majorMinorVersion } from "../../model/podSecurity";
import { ALLOWED, type Check, type CheckResult } from "../core/check";
import { joinQuote, pluralize, str } from "../core/helpers";
import type { PodView } from "../core/visitor";

export const CHECK_HOST_PATH_VOLUMES_ID = "hostPathVolumes";

export const checkHostPathVolumes: Check = {
    id: CHECK_HOST_PATH_VOLUMES_ID,
    level: "baseline",
    versions: [{ minimumVersion: majorMinorVersion(1, 0), checkPod: hostPathVolumes_1_0 }],
};

export function hostPathVolumes_1_0(pod: PodView): CheckResult {
    let hostVolumes: string[] | undefined;
    for (const volume of pod.volumes) {
        if (volume.hostPath != null) (hostVolumes ??= []).push(str(volume.name));
    }
    if (hostVolumes === undefined) return ALLOWED;
    return {
        reason: "hostPath volumes",
        detail: `${pluralize("volume", "volumes", hostVolumes.length)} ${joinQuote(hostVolumes)}`,
    };
}
