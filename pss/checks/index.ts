/**
 * Every check upstream registers by default (policy.DefaultChecks()); none is experimental in v0.37.2.
 * Listed in upstream's file order; the registry sorts by ID, so order here does not matter.
 */

import type { Check } from "../core/check";
import { checkAllowPrivilegeEscalation } from "./allowPrivilegeEscalation";
import { checkAppArmorProfile } from "./appArmorProfile";
import { checkCapabilitiesBaseline } from "./capabilities_baseline";
import { checkCapabilitiesRestricted } from "./capabilities_restricted";
import { checkHostNamespaces } from "./hostNamespaces";
import { checkHostPathVolumes } from "./hostPathVolumes";
import { checkHostPorts } from "./hostPorts";
import { checkHostProbesAndHostLifecycle } from "./hostProbesAndHostLifecycle";
import { checkPrivileged } from "./privileged";
import { checkProcMountBaseline } from "./procMount";
import { checkProcMountRestricted } from "./procMount_restricted";
import { checkRestrictedVolumes } from "./restrictedVolumes";
import { checkRunAsNonRoot } from "./runAsNonRoot";
import { checkRunAsUser } from "./runAsUser";
import { checkSELinuxOptions } from "./seLinuxOptions";
import { checkSeccompBaseline } from "./seccompProfile_baseline";
import { checkSeccompProfileRestricted } from "./seccompProfile_restricted";
import { checkSysctls } from "./sysctls";
import { checkWindowsHostProcess } from "./windowsHostProcess";

export const DEFAULT_CHECKS: readonly Check[] = Object.freeze([
    checkAllowPrivilegeEscalation,
    checkAppArmorProfile,
    checkCapabilitiesBaseline,
    checkCapabilitiesRestricted,
    checkHostNamespaces,
    checkHostPathVolumes,
    checkHostPorts,
    checkHostProbesAndHostLifecycle,
    checkPrivileged,
    checkProcMountBaseline,
    checkProcMountRestricted,
    checkRestrictedVolumes,
    checkRunAsNonRoot,
    checkRunAsUser,
    checkSELinuxOptions,
    checkSeccompBaseline,
    checkSeccompProfileRestricted,
    checkSysctls,
    checkWindowsHostProcess,
]);
