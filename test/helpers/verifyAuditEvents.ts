/**
 * audit.k8s.io/v1 Events as kube-apiserver's JSON log backend writes them (one object per line), following
 * the audit API reference: Metadata level, with user, sourceIPs, userAgent, objectRef, responseStatus and
 * the authorization and Pod Security annotations.
 */

import { randomUUID } from "crypto";

export const NAMESPACE = "pod-security";

export const HEAD_REFUSAL =
    'violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false (container "ray-head" must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container "ray-head" must set securityContext.capabilities.drop=["ALL"]), runAsNonRoot != true (pod or container "ray-head" must set securityContext.runAsNonRoot=true), seccompProfile (pod or container "ray-head" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")';

export const WORKER_AUDIT_VIOLATION =
    'would violate PodSecurity "restricted:latest": allowPrivilegeEscalation != false (containers "wait-gcs-ready", "ray-worker" must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (containers "wait-gcs-ready", "ray-worker" must set securityContext.capabilities.drop=["ALL"])';

const OPERATOR_USER = {
    username: "system:serviceaccount:pod-security:kuberay-operator",
    uid: "0f6f6b9e-4a51-4b8e-9d3c-2f1e1e7b9a10",
    groups: ["system:serviceaccounts", "system:serviceaccounts:pod-security", "system:authenticated"],
    extra: {
        "authentication.kubernetes.io/node-name": ["kuberay-dev-control-plane"],
        "authentication.kubernetes.io/pod-name": ["kuberay-operator-6bc45dd644-gwtqv"],
    },
};

const RBAC_ALLOW = {
    "authorization.k8s.io/decision": "allow",
    "authorization.k8s.io/reason": 'RBAC: allowed by RoleBinding "kuberay-operator/pod-security" of Role "kuberay-operator" to ServiceAccount "kuberay-operator/pod-security"',
};

export interface EventOptions {
    namespace?: string;
    time?: string;
    stage?: "RequestReceived" | "ResponseStarted" | "ResponseComplete" | "Panic";
}

function base(verb: string, requestURI: string, objectRef: Record<string, string>, { time = "2025-06-02T09:14:07.412318Z", stage = "ResponseComplete" }: EventOptions) {
    return {
        kind: "Event",
        apiVersion: "audit.k8s.io/v1",
        level: "Metadata",
        auditID: randomUUID(),
        stage,
        requestURI,
        verb,
        user: OPERATOR_USER,
        sourceIPs: ["172.18.0.2"],
        userAgent: "kuberay-operator/v0.0.0 (linux/amd64) kubernetes/$Format",
        objectRef,
        requestReceivedTimestamp: time,
        stageTimestamp: time.replace(/\.\d+Z$/, ".431907Z"),
    };
}

/** The operator's create of a generateName'd Pod, refused by enforce: the name is only in the Status. */
export function refusedPodCreate(generatedName: string, options: EventOptions & { message?: string } = {}) {
    const namespace = options.namespace ?? NAMESPACE;
    const message = options.message ?? HEAD_REFUSAL;
    return {
        ...base("create", `/api/v1/namespaces/${namespace}/pods`, { resource: "pods", namespace, apiVersion: "v1" }, options),
        responseStatus: {
            metadata: {},
            status: "Failure",
            message: `pods "${generatedName}" is forbidden: ${message}`,
            reason: "Forbidden",
            details: { name: generatedName, kind: "pods" },
            code: 403,
        },
        annotations: {
            ...RBAC_ALLOW,
            "pod-security.kubernetes.io/enforce-policy": "restricted:latest",
            "pod-security.kubernetes.io/audit-violations": message.replace(/^violates/, "would violate"),
        },
    };
}

/** An admitted create (201); with `auditViolations`, the audit mode recorded what it would have refused. */
export function admittedPodCreate(options: EventOptions & { auditViolations?: string; enforcePolicy?: string } = {}) {
    const namespace = options.namespace ?? NAMESPACE;
    return {
        ...base("create", `/api/v1/namespaces/${namespace}/pods`, { resource: "pods", namespace, apiVersion: "v1" }, options),
        responseStatus: { metadata: {}, code: 201 },
        annotations: {
            ...RBAC_ALLOW,
            "pod-security.kubernetes.io/enforce-policy": options.enforcePolicy ?? "restricted:latest",
            ...(options.auditViolations ? { "pod-security.kubernetes.io/audit-violations": options.auditViolations } : {}),
        },
    };
}

/** The first stage of any request: no response, no admission annotations yet. */
export function requestReceived(options: EventOptions = {}) {
    const namespace = options.namespace ?? NAMESPACE;
    return base("create", `/api/v1/namespaces/${namespace}/pods`, { resource: "pods", namespace, apiVersion: "v1" }, { ...options, stage: "RequestReceived" });
}

export function podGet(name: string, options: EventOptions = {}) {
    const namespace = options.namespace ?? NAMESPACE;
    return {
        ...base("get", `/api/v1/namespaces/${namespace}/pods/${name}`, { resource: "pods", namespace, name, apiVersion: "v1" }, options),
        responseStatus: { metadata: {}, code: 200 },
        annotations: RBAC_ALLOW,
    };
}

/** The operator's list of its Pods: a completed Pod request that carries no admission decision. */
export function podList(rayClusterName: string, options: EventOptions = {}) {
    const namespace = options.namespace ?? NAMESPACE;
    return {
        ...base("list", `/api/v1/namespaces/${namespace}/pods?labelSelector=ray.io%2Fcluster%3D${rayClusterName}`, { resource: "pods", namespace, apiVersion: "v1" }, options),
        responseStatus: { metadata: {}, code: 200 },
        annotations: RBAC_ALLOW,
    };
}

/** Not a Pod: a refused ConfigMap must not count, even with a PodSecurity-looking message. */
export function configMapForbidden(options: EventOptions = {}) {
    const namespace = options.namespace ?? NAMESPACE;
    return {
        ...base("create", `/api/v1/namespaces/${namespace}/configmaps`, { resource: "configmaps", namespace, apiVersion: "v1" }, options),
        responseStatus: {
            metadata: {},
            status: "Failure",
            message: `configmaps "x" is forbidden: violates PodSecurity "restricted:latest": made up`,
            reason: "Forbidden",
            details: { name: "x", kind: "configmaps" },
            code: 403,
        },
        annotations: { "authorization.k8s.io/decision": "forbid", "authorization.k8s.io/reason": "" },
    };
}

export function toLines(events: object[]): string {
    return events.map((event) => JSON.stringify(event)).join("\n") + "\n";
}
