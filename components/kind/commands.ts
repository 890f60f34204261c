/**
 * The shell scripts KindCluster runs through `local.Command`.
 *
 * They are constants: everything that varies reaches them through environment variables, so no value is
 * ever spliced into shell text. They are idempotent: creating a cluster that already exists reuses it,
 * deleting one that is already gone succeeds. But when kind itself fails (Docker not running), they fail:
 * a cluster must never be forgotten, nor its files removed, because it could not be listed.
 */

import * as path from "path";
import { stringify } from "yaml";
import { buildAuditPolicy, buildKindConfig } from "./kindConfig";

/** Writes the generated files, creates the cluster unless it exists, prints its kubeconfig on stdout. */
export const CREATE_SCRIPT = `set -eu
mkdir -p "$KIND_WORK_DIR"
printf '%s' "$AUDIT_POLICY_YAML" > "$AUDIT_POLICY_FILE"
printf '%s' "$KIND_CONFIG_YAML" > "$KIND_CONFIG_FILE"
# Captured first: in a pipeline a failing kind (Docker down) would read as "no such cluster".
clusters=$(kind get clusters)
if printf '%s\n' "$clusters" | grep -qxF -- "$KIND_CLUSTER_NAME"; then
  echo "kind cluster $KIND_CLUSTER_NAME already exists: reusing it" >&2
else
  kind create cluster --name "$KIND_CLUSTER_NAME" --image "$KIND_NODE_IMAGE" --config "$KIND_CONFIG_FILE" --wait 5m >&2
fi
kind get kubeconfig --name "$KIND_CLUSTER_NAME"
`;

/** Deletes the cluster if it is still there, then the generated files. */
export const DELETE_SCRIPT = `set -eu
clusters=$(kind get clusters)
if printf '%s\n' "$clusters" | grep -qxF -- "$KIND_CLUSTER_NAME"; then
  kind delete cluster --name "$KIND_CLUSTER_NAME" >&2
else
  echo "kind cluster $KIND_CLUSTER_NAME is already gone" >&2
fi
rm -rf "$KIND_WORK_DIR"
`;

export interface KindCommandInputs {
    clusterName: string;
    nodeImage: string;
    /** Absolute, per-stack directory holding the generated files. */
    workDir: string;
    /** Namespace whose Pod requests the audit policy logs. */
    auditNamespace: string;
}

/** The environment both scripts run with; also the full description of the cluster (a change replaces it). */
export function kindCommandEnvironment(inputs: KindCommandInputs): Record<string, string> {
    const auditPolicyFile = path.join(inputs.workDir, "audit-policy.yaml");
    return {
        KIND_CLUSTER_NAME: inputs.clusterName,
        KIND_NODE_IMAGE: inputs.nodeImage,
        KIND_WORK_DIR: inputs.workDir,
        KIND_CONFIG_FILE: path.join(inputs.workDir, "kind-config.yaml"),
        KIND_CONFIG_YAML: stringify(buildKindConfig(auditPolicyFile)),
        AUDIT_POLICY_FILE: auditPolicyFile,
        AUDIT_POLICY_YAML: stringify(buildAuditPolicy(inputs.auditNamespace)),
    };
}
