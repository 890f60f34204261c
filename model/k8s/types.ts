/**
 * The slice of the Kubernetes and KubeRay object model this project builds and reads, as plain data.
 * Field names and nesting are the API's own, so these objects serialise to valid manifests as they are.
 */

export interface ObjectMeta {
    name?: string;
    generateName?: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
}

export interface Capabilities {
    add?: string[];
    drop?: string[];
}

export interface SeccompProfile {
    type: string;
    localhostProfile?: string;
}

export interface SecurityContext {
    allowPrivilegeEscalation?: boolean;
    capabilities?: Capabilities;
    privileged?: boolean;
    procMount?: string;
    readOnlyRootFilesystem?: boolean;
    runAsGroup?: number;
    runAsNonRoot?: boolean;
    runAsUser?: number;
    seccompProfile?: SeccompProfile;
    seLinuxOptions?: Record<string, string>;
    appArmorProfile?: { type: string; localhostProfile?: string };
    windowsOptions?: { hostProcess?: boolean; [key: string]: unknown };
}

export interface PodSecurityContext extends Omit<SecurityContext, "allowPrivilegeEscalation" | "capabilities" | "privileged" | "procMount" | "readOnlyRootFilesystem"> {
    fsGroup?: number;
    supplementalGroups?: number[];
    sysctls?: { name: string; value: string }[];
}

export interface ResourceRequirements {
    requests?: Record<string, string>;
    limits?: Record<string, string>;
}

export interface Container {
    name: string;
    image?: string;
    command?: string[];
    args?: string[];
    env?: { name: string; value?: string; [key: string]: unknown }[];
    ports?: { containerPort: number; name?: string; hostPort?: number; protocol?: string }[];
    resources?: ResourceRequirements;
    volumeMounts?: { name: string; mountPath: string; readOnly?: boolean; subPath?: string }[];
    lifecycle?: { preStop?: unknown; postStart?: unknown };
    securityContext?: SecurityContext;
    [key: string]: unknown;
}

export interface Volume {
    name: string;
    emptyDir?: { medium?: string; sizeLimit?: string };
    configMap?: { name: string; items?: { key: string; path: string }[]; defaultMode?: number };
    [key: string]: unknown;
}

export interface PodSpec {
    containers: Container[];
    initContainers?: Container[];
    volumes?: Volume[];
    securityContext?: PodSecurityContext;
    [key: string]: unknown;
}

export interface PodTemplateSpec {
    metadata?: ObjectMeta;
    spec: PodSpec;
}

export interface ConfigMap {
    apiVersion: "v1";
    kind: "ConfigMap";
    metadata: ObjectMeta;
    data: Record<string, string>;
}

export interface HeadGroupSpec {
    rayStartParams: Record<string, string>;
    serviceType?: string;
    template: PodTemplateSpec;
}

export interface WorkerGroupSpec {
    groupName: string;
    replicas: number;
    minReplicas: number;
    maxReplicas: number;
    rayStartParams: Record<string, string>;
    template: PodTemplateSpec;
}

export interface RayClusterSpec {
    rayVersion: string;
    enableInTreeAutoscaling?: boolean;
    autoscalerOptions?: { securityContext?: SecurityContext; [key: string]: unknown };
    headGroupSpec: HeadGroupSpec;
    workerGroupSpecs?: WorkerGroupSpec[];
}

export interface RayCluster {
    apiVersion: "ray.io/v1";
    kind: "RayCluster";
    metadata: ObjectMeta;
    spec: RayClusterSpec;
}

/**
 * A Pod as read from a manifest or from the API server: every part optional, read field by field (parsed YAML
 * or JSON may hold anything, or null). The checker reads metadata and spec; verify reads labels and status.
 */
export interface PodLike {
    metadata?: { name?: string; labels?: Record<string, string>; annotations?: Record<string, string>; [key: string]: unknown };
    spec?: Record<string, any>;
    status?: {
        phase?: string;
        reason?: string;
        containerStatuses?: { name?: string; state?: { waiting?: { reason?: string }; terminated?: { reason?: string } } }[];
    };
}

/** A field's place in an object: keys and list indexes, from the object's root. */
export type FieldPath = (string | number)[];

/**
 * Where a Pod's parts come from in the object that makes it, for pointing at the field a user wrote: its spec,
 * and containers that are not in that spec (the ones an operator injects), by name: the object whose
 * `securityContext` the container gets (for the others, where it would be written).
 */
export interface PodSource {
    specPath: FieldPath;
    containers?: Record<string, FieldPath>;
}

export interface Condition {
    type: string;
    status: string;
    reason?: string;
    message?: string;
}

/** A RayCluster as read from the API server: the parts that say whether it is usable (verify judges them). */
export interface RayClusterLike {
    metadata?: { name?: string; namespace?: string };
    spec?: {
        suspend?: boolean;
        workerGroupSpecs?: { groupName?: string; replicas?: number; minReplicas?: number; maxReplicas?: number; numOfHosts?: number; suspend?: boolean }[];
    };
    status?: {
        state?: string;
        reason?: string;
        conditions?: Condition[];
        desiredWorkerReplicas?: number;
        readyWorkerReplicas?: number;
        head?: { podName?: string; serviceName?: string };
    };
}
