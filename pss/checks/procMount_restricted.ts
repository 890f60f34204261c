/**
 * procMount_restricted (restricted): v1.35+, keeps procMount_1_0's unconditional rule (only "Default" or
 * unset, even with hostUsers: false) and overrides the baseline procMount check, which relaxes from v1.35.
 * Port of policy/check_procMount_restricted.go, k8s.io/pod-security-admission@v0.37.2.
 */

import { majorMinorVersion } from "../../model/podSecurity";
import type { Check } from "../core/check";
import { CHECK_PROC_MOUNT_BASELINE_ID, procMount_1_0 } from "./procMount";

export const checkProcMountRestricted: Check = {
    id: "procMount_restricted",
    level: "restricted",
    versions: [
        {
            minimumVersion: majorMinorVersion(1, 35),
            checkPod: procMount_1_0,
            overrideCheckIds: [CHECK_PROC_MOUNT_BASELINE_ID],
        },
    ],
};
