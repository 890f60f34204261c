/**
 * The parts of a Pod the checks read, as plain parsed YAML/JSON. Every field may be missing or null,
 * which the checks treat the way Go treats a nil pointer, an empty slice or a zero value after decoding
 * into k8s.io/api/core/v1 types. Values of the wrong type would fail Go's decoding before admission; the
 * checks only guarantee not to throw on them.
 */

type Maybe<T> = T | null | undefined;

export interface ObjectMetaShape {
    name?: Maybe<string>;
    annotations?: Maybe<Record<string, Maybe<string>>>;
}

export interface PodSpecShape {
    os?: Maybe<{ name?: Maybe<string> }>;
    hostNetwork?: Maybe<boolean>;
    hostPID?: Maybe<boolean>;
    hostIPC?: Maybe<boolean>;
    hostUsers?: Maybe<boolean>;
    securityContext?: Maybe<PodSecurityContextShape>;
    volumes?: Maybe<Maybe<VolumeShape>[]>;
    initContainers?: Maybe<Maybe<ContainerShape>[]>;
    containers?: Maybe<Maybe<ContainerShape>[]>;
    ephemeralContainers?: Maybe<Maybe<ContainerShape>[]>;
}

export interface SELinuxOptionsShape {
    type?: Maybe<string>;
    user?: Maybe<string>;
    role?: Maybe<string>;
}

export interface ProfileShape {
    type?: Maybe<string>;
}

export interface WindowsOptionsShape {
    hostProcess?: Maybe<boolean>;
}

/** The fields a Pod and a container securityContext both have (the container's overrides the Pod's). */
interface SharedSecurityContextShape {
    runAsNonRoot?: Maybe<boolean>;
    runAsUser?: Maybe<number>;
    seLinuxOptions?: Maybe<SELinuxOptionsShape>;
    seccompProfile?: Maybe<ProfileShape>;
    appArmorProfile?: Maybe<ProfileShape>;
    windowsOptions?: Maybe<WindowsOptionsShape>;
}

export interface PodSecurityContextShape extends SharedSecurityContextShape {
    sysctls?: Maybe<Maybe<{ name?: Maybe<string> }>[]>;
}

export interface SecurityContextShape extends SharedSecurityContextShape {
    privileged?: Maybe<boolean>;
    allowPrivilegeEscalation?: Maybe<boolean>;
    capabilities?: Maybe<{ add?: Maybe<Maybe<string>[]>; drop?: Maybe<Maybe<string>[]> }>;
    procMount?: Maybe<string>;
}

export interface ContainerPortShape {
    containerPort?: Maybe<number>;
    hostPort?: Maybe<number>;
}

export interface HostActionShape {
    httpGet?: Maybe<{ host?: Maybe<string> }>;
    tcpSocket?: Maybe<{ host?: Maybe<string> }>;
}

export interface ContainerShape {
    name?: Maybe<string>;
    securityContext?: Maybe<SecurityContextShape>;
    ports?: Maybe<Maybe<ContainerPortShape>[]>;
    livenessProbe?: Maybe<HostActionShape>;
    readinessProbe?: Maybe<HostActionShape>;
    startupProbe?: Maybe<HostActionShape>;
    lifecycle?: Maybe<{ postStart?: Maybe<HostActionShape>; preStop?: Maybe<HostActionShape> }>;
}

/** A volume: its name plus exactly one source field (configMap, hostPath, …); see restrictedVolumes. */
export interface VolumeShape {
    name?: Maybe<string>;
    hostPath?: unknown;
    [source: string]: unknown;
}
