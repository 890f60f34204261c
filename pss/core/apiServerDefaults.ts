/**
 * PodSecurity admission runs in the API server on the decoded, defaulted Pod, not on the request body.
 * Of the defaults k8s.io/kubernetes@v1.37.2 pkg/apis/core/v1/defaults.go applies to a Pod, two change fields
 * the checks read; they are applied here, without mutating the input. Upstream's own conformance fixtures
 * rely on the first (restrictedvolumes0: a volume without a source passes as an "implicit empty dir").
 *
 * - SetDefaults_Volume: a volume with no source becomes an emptyDir.
 * - SetDefaults_Pod: with hostNetwork, a container or init container port without hostPort gets
 *   hostPort = containerPort (ephemeral containers are not defaulted).
 */

import type { ContainerPortShape, ContainerShape, VolumeShape } from "./podShape";

/** Every VolumeSource field (its pointers; ptr.AllPtrFieldsNil decides whether the volume has a source). */
const VOLUME_SOURCES = [
    "hostPath",
    "emptyDir",
    "gcePersistentDisk",
    "awsElasticBlockStore",
    "gitRepo",
    "secret",
    "nfs",
    "iscsi",
    "glusterfs",
    "persistentVolumeClaim",
    "rbd",
    "flexVolume",
    "cinder",
    "cephfs",
    "flocker",
    "downwardAPI",
    "fc",
    "azureFile",
    "configMap",
    "vsphereVolume",
    "quobyte",
    "azureDisk",
    "photonPersistentDisk",
    "projected",
    "portworxVolume",
    "scaleIO",
    "storageos",
    "csi",
    "ephemeral",
    "image",
] as const;

function hasSource(volume: VolumeShape): boolean {
    for (const source of VOLUME_SOURCES) if (volume[source] != null) return true;
    return false;
}

export function defaultVolumes(volumes: readonly VolumeShape[]): readonly VolumeShape[] {
    if (volumes.every(hasSource)) return volumes;
    return volumes.map((volume) => (hasSource(volume) ? volume : { ...volume, emptyDir: {} }));
}

function needsHostPort(port: ContainerPortShape | null | undefined): boolean {
    if (port == null || (port.hostPort != null && port.hostPort !== 0)) return false;
    return port.containerPort != null && port.containerPort !== 0; // hostPort = containerPort changes nothing otherwise
}

function withHostPorts(container: ContainerShape): ContainerShape {
    const ports = container.ports;
    if (!Array.isArray(ports) || !ports.some(needsHostPort)) return container;
    return {
        ...container,
        ports: ports.map((port) => (port != null && needsHostPort(port) ? { ...port, hostPort: port.containerPort } : port)),
    };
}

export function defaultHostNetworkPorts(containers: readonly ContainerShape[]): readonly ContainerShape[] {
    const defaulted = containers.map(withHostPorts);
    return defaulted.every((c, i) => c === containers[i]) ? containers : defaulted;
}

/**
 * The pod strategy's PrepareForCreate (applyAppArmorVersionSkew, pkg/registry/core/pod/strategy.go) also
 * runs before admission: a container with a deprecated AppArmor annotation and no appArmorProfile field gets
 * the field derived from the annotation — unless the value is invalid, or equals the pod-level profile.
 * Not for Windows pods.
 */
const APPARMOR_ANNOTATION_PREFIX = "container.apparmor.security.beta.kubernetes.io/";
const LOCALHOST_PREFIX = "localhost/";

interface AppArmorField {
    type: string;
    localhostProfile?: string;
}

/** podutil.ApparmorFieldForAnnotation: undefined for an unknown value or an empty localhost profile. */
function appArmorFieldForAnnotation(annotation: string): AppArmorField | undefined {
    if (annotation === "unconfined") return { type: "Unconfined" };
    if (annotation === "runtime/default") return { type: "RuntimeDefault" };
    if (annotation.startsWith(LOCALHOST_PREFIX) && annotation.length > LOCALHOST_PREFIX.length) {
        return { type: "Localhost", localhostProfile: annotation.slice(LOCALHOST_PREFIX.length) };
    }
    return undefined;
}

/** ValidateAppArmorProfileField, for the fields derived above (only a Localhost profile can be invalid). */
function isValidDerivedField(field: AppArmorField): boolean {
    if (field.type !== "Localhost") return true;
    const profile = field.localhostProfile ?? "";
    return profile.trim() === profile && profile !== "" && profile.length <= 4095;
}

function sameProfile(a: AppArmorField, b: { type?: unknown; localhostProfile?: unknown } | null | undefined): boolean {
    return b != null && a.type === b.type && (a.localhostProfile ?? null) === (b.localhostProfile ?? null);
}

export function syncAppArmorAnnotations(
    annotations: Readonly<Record<string, unknown>> | null | undefined,
    podProfile: { type?: unknown; localhostProfile?: unknown } | null | undefined,
    containers: readonly ContainerShape[],
): readonly ContainerShape[] {
    if (annotations == null) return containers;
    let synced: ContainerShape[] | undefined;
    containers.forEach((container, index) => {
        const annotation = annotations[`${APPARMOR_ANNOTATION_PREFIX}${container.name ?? ""}`];
        if (typeof annotation !== "string" || container.securityContext?.appArmorProfile != null) return;
        const field = appArmorFieldForAnnotation(annotation);
        if (field === undefined || !isValidDerivedField(field) || sameProfile(field, podProfile)) return;
        synced ??= [...containers];
        synced[index] = { ...container, securityContext: { ...(container.securityContext ?? {}), appArmorProfile: field } };
    });
    return synced ?? containers;
}
