/**
 * Validation of `namespace` and `namespaceMode`: the namespace the operator and the RayCluster run in, and
 * whether the stack creates it or adopts one that exists. Pure.
 */

import { isDns1123Label, NAME_RULE } from "./formats";
import { ConfigReader } from "./reader";

export const NAMESPACE_MODES = ["create", "adopt"] as const;
export type NamespaceMode = (typeof NAMESPACE_MODES)[number];

/** The namespaces every cluster has, which Kubernetes itself uses. */
export const SYSTEM_NAMESPACES = ["default", "kube-node-lease", "kube-public", "kube-system"] as const;
/** Kubernetes reserves the `kube-` prefix for system namespaces. */
const SYSTEM_PREFIX = "kube-";

const WHY_NOT_SYSTEM = "the program labels its namespace to enforce a Pod Security level, which would apply to the cluster's own Pods there too";

export const NAMESPACE_MODE_RULE =
    '"create" (the stack creates the namespace and deletes it at pulumi destroy) or "adopt" (the namespace exists already: the stack only applies the Pod Security labels to it, and removes just those at pulumi destroy)';

export interface NamespaceConfig {
    namespace: string;
    namespaceMode: NamespaceMode;
}

function systemNamespaceRule(namespace: string): string | undefined {
    if ((SYSTEM_NAMESPACES as readonly string[]).includes(namespace)) {
        return `a namespace of your own, not one Kubernetes keeps for itself (${SYSTEM_NAMESPACES.join(", ")}): ${WHY_NOT_SYSTEM}`;
    }
    if (namespace.startsWith(SYSTEM_PREFIX)) {
        return `a namespace of your own: names starting with "${SYSTEM_PREFIX}" are reserved for Kubernetes system namespaces, and ${WHY_NOT_SYSTEM}`;
    }
    return undefined;
}

export function readNamespace(read: ConfigReader, clusterMode: string): NamespaceConfig {
    const namespace = read.string("namespace");
    const systemRule = systemNamespaceRule(namespace);
    if (!isDns1123Label(namespace)) {
        read.problems.invalid("namespace", namespace, NAME_RULE);
    } else if (systemRule !== undefined) {
        read.problems.invalid("namespace", namespace, systemRule);
    }
    const namespaceMode = read.string("namespaceMode");
    if (!(NAMESPACE_MODES as readonly string[]).includes(namespaceMode)) {
        read.problems.invalid("namespaceMode", namespaceMode, NAMESPACE_MODE_RULE);
    } else if (namespaceMode === "adopt" && clusterMode === "kind") {
        read.problems.invalid(
            "namespaceMode",
            namespaceMode,
            '"create" when cluster.mode is "kind" (the stack\'s own kind cluster has no namespace to adopt; "adopt" is for cluster.mode "existing")',
        );
    }
    return { namespace, namespaceMode: namespaceMode as NamespaceMode };
}
