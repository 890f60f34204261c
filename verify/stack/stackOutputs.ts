/** The stack outputs `verify` needs (see index.ts), checked. Pure. */

import { UsageError } from "../../lib/cli/errors";

export interface VerifyTarget {
    stack?: string;
    /** Kubeconfig contents; absent: the ambient kubeconfig. */
    kubeconfig?: string;
    /** The kubeconfig file it came from (existing clusters; absent for kind): read from there, relative paths inside resolve. */
    kubeconfigPath?: string;
    /** Empty or absent: the kubeconfig's current context. */
    kubeContext?: string;
    /** The kind cluster (kind stacks only; absent for an existing cluster). */
    clusterName?: string;
    namespace: string;
    rayClusterName: string;
    headServiceName?: string;
    /** Where the audit log is inside the kind node (kind stacks only; absent for an existing cluster). */
    auditLogPath?: string;
}

export type StackOutputs = Record<string, unknown>;

export function targetFromOutputs(outputs: StackOutputs, stack?: string): VerifyTarget {
    // An empty output means none: index.ts exports every output in both modes, "" where it does not apply
    // (kubeContext: the current context; clusterName, auditLogPath: an existing cluster; kubeconfigPath: a
    // kind cluster). An absent one (a stack last deployed by an older program) means the same.
    const optional = (key: string): string | undefined => {
        const value = outputs[key];
        if (value === undefined || value === null) return undefined;
        if (typeof value !== "string") throw new UsageError(`stack output ${JSON.stringify(key)} is not a string`);
        return value || undefined;
    };
    const required = (key: string): string => {
        const value = optional(key);
        if (!value) throw new UsageError(`the stack has no ${JSON.stringify(key)} output: run \`pulumi up\` for it first`);
        return value;
    };
    return {
        ...(stack ? { stack } : {}),
        namespace: required("namespace"),
        rayClusterName: required("rayClusterName"),
        kubeconfig: optional("kubeconfig"),
        kubeconfigPath: optional("kubeconfigPath"),
        kubeContext: optional("kubeContext"),
        clusterName: optional("clusterName"),
        headServiceName: optional("headServiceName"),
        auditLogPath: optional("auditLogPath"),
    };
}
