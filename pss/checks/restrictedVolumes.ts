/**
 * restrictedVolumes (restricted): volumes may only be configMap, csi, downwardAPI, emptyDir, ephemeral,
 * image, persistentVolumeClaim, projected or secret. v1.0+, overriding hostPathVolumes.
 * Port of policy/check_restrictedVolumes.go, k8s.io/pod-security-admission@v0.37.2.
 */

import { majorMinorVersion } from "../../model/podSecurity";
import { ALLOWED, type Check, type CheckResult } from "../core/check";
import { sortedList } from "../core/goFormat";
import { joinQuote, pluralize, str } from "../core/helpers";
import type { VolumeShape } from "../core/podShape";
import type { PodView } from "../core/visitor";
import { CHECK_HOST_PATH_VOLUMES_ID } from "./hostPathVolumes";

export const checkRestrictedVolumes: Check = {
    id: "restrictedVolumes",
    level: "restricted",
    versions: [
        {
            minimumVersion: majorMinorVersion(1, 0),
            checkPod: restrictedVolumes_1_0,
            overrideCheckIds: [CHECK_HOST_PATH_VOLUMES_ID],
        },
    ],
};

/** A volume with any of these sources is allowed, whatever else it sets. */
const ALLOWED_SOURCES = [
    "configMap",
    "csi",
    "downwardAPI",
    "emptyDir",
    "ephemeral",
    "image",
    "persistentVolumeClaim",
    "projected",
    "secret",
] as const;

/** Restricted sources in upstream's switch order: the first one set names the volume's type. */
const RESTRICTED_SOURCES = [
    "hostPath",
    "gcePersistentDisk",
    "awsElasticBlockStore",
    "gitRepo",
    "nfs",
    "iscsi",
    "glusterfs",
    "rbd",
    "flexVolume",
    "cinder",
    "cephfs",
    "flocker",
    "fc",
    "azureFile",
    "vsphereVolume",
    "quobyte",
    "azureDisk",
    "photonPersistentDisk",
    "portworxVolume",
    "scaleIO",
    "storageos",
] as const;

function hasAllowedSource(volume: VolumeShape): boolean {
    for (const source of ALLOWED_SOURCES) if (volume[source] != null) return true;
    return false;
}

function restrictedVolumeType(volume: VolumeShape): string {
    for (const source of RESTRICTED_SOURCES) if (volume[source] != null) return source;
    return "unknown";
}

export function restrictedVolumes_1_0(pod: PodView): CheckResult {
    let badVolumes: string[] | undefined;
    let badVolumeTypes: string[] | undefined;
    for (const volume of pod.volumes) {
        if (hasAllowedSource(volume)) continue;
        (badVolumes ??= []).push(str(volume.name));
        (badVolumeTypes ??= []).push(restrictedVolumeType(volume));
    }
    if (badVolumes === undefined) return ALLOWED;
    const types = sortedList(badVolumeTypes ?? []);
    return {
        reason: "restricted volume types",
        detail: `${pluralize("volume", "volumes", badVolumes.length)} ${joinQuote(badVolumes)} ${pluralize("uses", "use", badVolumes.length)} ${pluralize("restricted volume type", "restricted volume types", types.length)} ${joinQuote(types)}`,
    };
}
