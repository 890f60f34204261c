/**
 * One line of a kube-apiserver audit log (`audit.k8s.io/v1` Event, JSON backend) and what Pod Security
 * Admission recorded in it. Pure: no I/O.
 */

/** The fields of an audit Event this reader looks at (the real event has more). */
export interface AuditEvent {
    kind: "Event";
    apiVersion: string;
    level?: string;
    auditID?: string;
    stage?: string;
    requestURI?: string;
    verb?: string;
    objectRef?: { resource?: string; subresource?: string; namespace?: string; name?: string; apiVersion?: string };
    responseStatus?: {
        code?: number;
        status?: string;
        reason?: string;
        message?: string;
        details?: { name?: string; kind?: string };
    };
    requestReceivedTimestamp?: string;
    stageTimestamp?: string;
    annotations?: Record<string, string>;
}

/** A Pod that Pod Security Admission refused, or admitted while recording an audit-mode violation. */
export interface PodSecurityViolation {
    time: string;
    pod: string;
    namespace: string;
    verb: string;
    decision: "refused" | "audit";
    /** The evaluated policy, e.g. `restricted:latest`. */
    policy: string;
    /** The PodSecurity text: `violates PodSecurity "…": …` or `would violate PodSecurity "…": …`. */
    message: string;
}

export const AUDIT_VIOLATIONS_ANNOTATION = "pod-security.kubernetes.io/audit-violations";
export const ENFORCE_POLICY_ANNOTATION = "pod-security.kubernetes.io/enforce-policy";

/** The event on the line, or undefined when the line is not a JSON audit event (truncated, rotated, other). */
export function parseAuditEvent(line: string): AuditEvent | undefined {
    let value: unknown;
    try {
        value = JSON.parse(line);
    } catch {
        return undefined;
    }
    if (typeof value !== "object" || value === null) return undefined;
    const event = value as Partial<AuditEvent>;
    return event.kind === "Event" && typeof event.apiVersion === "string" && event.apiVersion.startsWith("audit.k8s.io/")
        ? (event as AuditEvent)
        : undefined;
}

/**
 * Only the final stage carries the response and admission annotations; RequestReceived (and the
 * ResponseStarted of long-running requests) would count the same request twice.
 */
export function isCompletedPodRequest(event: AuditEvent, namespace: string): boolean {
    return completedPodRequestNamespace(event) === namespace;
}

/** The namespace of a completed request for Pods (any verb); undefined for anything else or a cluster-wide list. */
export function completedPodRequestNamespace(event: AuditEvent): string | undefined {
    return event.stage === "ResponseComplete" && event.objectRef?.resource === "pods" ? event.objectRef.namespace || undefined : undefined;
}

/** Pod Security Admission judges only writes of Pods (a patch reaches it as an update). */
const ADMITTED_VERBS = new Set(["create", "update", "patch"]);

const REFUSAL = /violates PodSecurity "[^"]*":[\s\S]*$/;
const POLICY = /PodSecurity "([^"]*)"/;
const FORBIDDEN_NAME = /pods "([^"]+)" is forbidden/;

export function podSecurityViolation(event: AuditEvent, namespace: string): PodSecurityViolation | undefined {
    if (!isCompletedPodRequest(event, namespace) || !ADMITTED_VERBS.has(event.verb ?? "")) return undefined;
    const status = event.responseStatus;
    const refusal = status?.code === 403 ? REFUSAL.exec(status.message ?? "")?.[0] : undefined;
    const auditText = event.annotations?.[AUDIT_VIOLATIONS_ANNOTATION];
    const message = refusal ?? auditText;
    if (message === undefined) return undefined;
    return {
        time: event.requestReceivedTimestamp ?? event.stageTimestamp ?? "",
        // A generateName'd Pod has no name in objectRef; a refusal names it in the Status details and message.
        pod: event.objectRef?.name || status?.details?.name || FORBIDDEN_NAME.exec(status?.message ?? "")?.[1] || "",
        namespace,
        verb: event.verb ?? "",
        decision: refusal !== undefined ? "refused" : "audit",
        policy: POLICY.exec(message)?.[1] ?? event.annotations?.[ENFORCE_POLICY_ANNOTATION] ?? "",
        message,
    };
}
