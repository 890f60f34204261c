/**
 * The kind cluster configuration and the API server's audit policy, built as data.
 *
 * Shape follows the tutorial's `kind-config.yaml` / `audit-policy.yaml` and kind's "Auditing" guide.
 */

import * as path from "path";
import { stringify } from "yaml";
import { xdgBaseDir } from "../../lib/xdg";
import { PROJECT_NAME } from "../../model/project";

/** Where the audit policy and log live inside the control-plane node. */
export const AUDIT_POLICY_DIR = "/etc/kubernetes/policies";
export const AUDIT_POLICY_PATH = `${AUDIT_POLICY_DIR}/audit-policy.yaml`;
export const AUDIT_LOG_DIR = "/var/log/kubernetes";
export const AUDIT_LOG_PATH = `${AUDIT_LOG_DIR}/kube-apiserver-audit.log`;

export interface AuditPolicy {
    apiVersion: "audit.k8s.io/v1";
    kind: "Policy";
    omitStages: string[];
    rules: {
        level: "None" | "Metadata" | "Request" | "RequestResponse";
        resources: { group: string; resources: string[] }[];
        namespaces: string[];
    }[];
}

/**
 * Logs Pod requests in `namespace` at Metadata level (enough to carry Pod Security annotations and the
 * refusal in `responseStatus`), nothing else, and skips the RequestReceived stage, as the tutorial does.
 */
export function buildAuditPolicy(namespace: string): AuditPolicy {
    return {
        apiVersion: "audit.k8s.io/v1",
        kind: "Policy",
        omitStages: ["RequestReceived"],
        rules: [
            {
                level: "Metadata",
                // "pods" does not match subresources such as pods/exec, consistent with RBAC.
                resources: [{ group: "", resources: ["pods"] }],
                namespaces: [namespace],
            },
        ],
    };
}

export interface KindConfig {
    kind: "Cluster";
    apiVersion: "kind.x-k8s.io/v1alpha4";
    /** kubeadm config patches for every node (YAML documents), besides each node's own. */
    kubeadmConfigPatches?: string[];
    /** TOML fragments kind merges into every node's containerd config. */
    containerdConfigPatches?: string[];
    nodes: {
        role: "control-plane" | "worker";
        kubeadmConfigPatches?: string[];
        extraMounts?: { hostPath: string; containerPath: string; readOnly: boolean }[];
    }[];
}

/** The kubeadm ClusterConfiguration patch that turns auditing on in the API server. */
export interface KubeadmAuditPatch {
    kind: "ClusterConfiguration";
    apiServer: {
        extraArgs: Record<string, string>;
        extraVolumes: { name: string; hostPath: string; mountPath: string; readOnly: boolean; pathType: string }[];
    };
}

export function buildKubeadmAuditPatch(): KubeadmAuditPatch {
    // No apiVersion: kind then applies the patch to v1beta3 and v1beta4 kubeadm configs alike, converting
    // the map-style extraArgs itself (Kubernetes 1.36+ node images use v1beta4).
    return {
        kind: "ClusterConfiguration",
        apiServer: {
            extraArgs: {
                "audit-log-path": AUDIT_LOG_PATH,
                "audit-policy-file": AUDIT_POLICY_PATH,
            },
            extraVolumes: [
                { name: "audit-policies", hostPath: AUDIT_POLICY_DIR, mountPath: AUDIT_POLICY_DIR, readOnly: true, pathType: "DirectoryOrCreate" },
                { name: "audit-logs", hostPath: AUDIT_LOG_DIR, mountPath: AUDIT_LOG_DIR, readOnly: false, pathType: "DirectoryOrCreate" },
            ],
        },
    };
}

/** The user's additions to the kind config (cluster.kubeadmConfigPatches, cluster.containerdConfigPatches). */
export interface KindConfigPatches {
    kubeadmConfigPatches?: string[];
    containerdConfigPatches?: string[];
}

/**
 * One control-plane node with auditing on. `auditPolicyHostPath` is the absolute path of the policy file on
 * the machine running kind; kind mounts it into the node where the API server's flag expects it.
 *
 * The user's patches go at the top level, where kind applies them to every node, as they are (each a YAML or
 * TOML document); the audit patch stays on the control-plane node. An empty list is left out, so a config
 * without patches is the one this program always generated (and an existing cluster keeps its definition).
 */
export function buildKindConfig(auditPolicyHostPath: string, patches: KindConfigPatches = {}): KindConfig {
    const { kubeadmConfigPatches = [], containerdConfigPatches = [] } = patches;
    return {
        kind: "Cluster",
        apiVersion: "kind.x-k8s.io/v1alpha4",
        ...(kubeadmConfigPatches.length > 0 ? { kubeadmConfigPatches: [...kubeadmConfigPatches] } : {}),
        ...(containerdConfigPatches.length > 0 ? { containerdConfigPatches: [...containerdConfigPatches] } : {}),
        nodes: [
            {
                role: "control-plane",
                kubeadmConfigPatches: [stringify(buildKubeadmAuditPatch())],
                extraMounts: [{ hostPath: auditPolicyHostPath, containerPath: AUDIT_POLICY_PATH, readOnly: true }],
            },
        ],
    };
}

/** The command that prints the audit log of a kind cluster (the node is a Docker container). */
export function auditLogCommand(clusterName: string): string {
    return `docker exec ${clusterName}-control-plane cat ${AUDIT_LOG_PATH}`;
}

/**
 * Where a kind cluster's generated files live: under the user's state directory, one folder per cluster
 * name (names are unique on a machine, and per stack by default). Not in the checkout: the node bind-mounts
 * the audit policy from here for the cluster's whole life, and a path that moved with the checkout would
 * change the cluster's definition and replace it.
 */
export function kindWorkDir(clusterName: string, env: { home: string; xdgStateHome?: string }): string {
    return path.join(xdgBaseDir({ home: env.home, xdgHome: env.xdgStateHome }, path.join(".local", "state")), PROJECT_NAME, "kind", clusterName);
}
