/**
 * The shell scripts KindCluster runs through `local.Command`.
 *
 * They are constants: everything that varies reaches them through environment variables, so no value is
 * ever spliced into shell text. They are idempotent: creating a cluster this stack already made from the same
 * definition reuses it, deleting one that is already gone succeeds. A cluster of that name this stack did not
 * make (by hand, by another stack, or recorded in another work directory) is refused, never reused or
 * deleted. When kind itself fails (Docker not running), they fail: a cluster must never be forgotten, nor its
 * files removed, because it could not be listed.
 *
 * Replacement. A kind cluster's name is fixed, so a cluster with another definition (node image, config,
 * audit policy) can only be made after the old one is deleted. Pulumi's `deleteBeforeReplace` would do that,
 * but the kubernetes provider depends on the cluster's kubeconfig, and the engine (v3.276, still upstream:
 * pulumi/pulumi#14650) then closes the old provider before it deletes the cluster's objects with it — every
 * such `pulumi up` fails with "grpc: the client connection is closing". So the Command is replaced the
 * ordinary way (the new one created first) and the scripts do the ordering: the work directory records which
 * stack made the cluster from which definition (`<owner> <definition>` in KIND_OWNER_FILE); the new create
 * deletes this stack's cluster of another definition before creating its own, and the old delete, finding
 * the record no longer its own, leaves the new cluster and its files alone.
 */

import { createHash } from "crypto";
import * as path from "path";
import { stringify } from "yaml";
import { buildAuditPolicy, buildKindConfig } from "./kindConfig";

/** Writes the generated files, creates the cluster unless it exists, prints its kubeconfig on stdout. */
export const CREATE_SCRIPT = `set -eu
# Captured first: in a pipeline a failing kind (Docker down) would read as "no such cluster".
clusters=$(kind get clusters)
record=$(cat "$KIND_OWNER_FILE" 2>/dev/null || true)
reuse=
if printf '%s\n' "$clusters" | grep -qxF -- "$KIND_CLUSTER_NAME"; then
  case "$record" in
    "$KIND_OWNER $KIND_DEFINITION")
      echo "kind cluster $KIND_CLUSTER_NAME already exists: reusing it" >&2
      reuse=1 ;;
    "$KIND_OWNER "*)
      echo "kind cluster $KIND_CLUSTER_NAME has another definition: deleting it to create it anew" >&2
      kind delete cluster --name "$KIND_CLUSTER_NAME" >&2 ;;
    "")
      echo "kind cluster $KIND_CLUSTER_NAME exists, but $KIND_OWNER_FILE does not say $KIND_OWNER made it: delete it (kind delete cluster --name $KIND_CLUSTER_NAME) or give this stack another cluster.name" >&2
      exit 1 ;;
    *)
      echo "kind cluster $KIND_CLUSTER_NAME belongs to \${record%% *}, not to $KIND_OWNER: give this stack another cluster.name" >&2
      exit 1 ;;
  esac
fi
mkdir -p "$KIND_WORK_DIR"
printf '%s' "$AUDIT_POLICY_YAML" > "$AUDIT_POLICY_FILE"
printf '%s' "$KIND_CONFIG_YAML" > "$KIND_CONFIG_FILE"
printf '%s %s\n' "$KIND_OWNER" "$KIND_DEFINITION" > "$KIND_OWNER_FILE"
if [ -z "$reuse" ]; then
  kind create cluster --name "$KIND_CLUSTER_NAME" --image "$KIND_NODE_IMAGE" --config "$KIND_CONFIG_FILE" --wait 5m >&2
fi
kind get kubeconfig --name "$KIND_CLUSTER_NAME"
`;

/** Deletes the cluster if it is still there and still this definition's, then the generated files. */
export const DELETE_SCRIPT = `set -eu
record=$(cat "$KIND_OWNER_FILE" 2>/dev/null || true)
if [ -n "$record" ] && [ "$record" != "$KIND_OWNER $KIND_DEFINITION" ]; then
  echo "kind cluster $KIND_CLUSTER_NAME has been made anew from another definition: leaving it and its files" >&2
  exit 0
fi
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
    /** Who makes the cluster: `<project>/<stack>`. */
    owner: string;
}

/** The environment both scripts run with; also the full description of the cluster (a change replaces it). */
export function kindCommandEnvironment(inputs: KindCommandInputs): Record<string, string> {
    const auditPolicyFile = path.join(inputs.workDir, "audit-policy.yaml");
    const definition = {
        KIND_CLUSTER_NAME: inputs.clusterName,
        KIND_NODE_IMAGE: inputs.nodeImage,
        KIND_WORK_DIR: inputs.workDir,
        KIND_CONFIG_FILE: path.join(inputs.workDir, "kind-config.yaml"),
        KIND_CONFIG_YAML: stringify(buildKindConfig(auditPolicyFile)),
        AUDIT_POLICY_FILE: auditPolicyFile,
        AUDIT_POLICY_YAML: stringify(buildAuditPolicy(inputs.auditNamespace)),
    };
    return {
        ...definition,
        KIND_OWNER: inputs.owner,
        KIND_OWNER_FILE: path.join(inputs.workDir, "owner"),
        // What the cluster is made from: a cluster recorded with another value is replaced.
        KIND_DEFINITION: createHash("sha256").update(JSON.stringify(definition)).digest("hex").slice(0, 16),
    };
}
