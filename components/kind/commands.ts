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
 *
 * Images. `cluster.imageArchives` and `cluster.localImages` are loaded by a second Command (IMAGES_SCRIPT),
 * created after the cluster's, as `kind load` does. Its lists reach it one entry a line in environment
 * variables, read with `read -r` from a here-document: a value is expanded once, never evaluated, so spaces,
 * quotes and `$(…)` in it stay what they are. Its triggers are the lists, each archive's size and mtime and
 * the cluster command's definition, so a rebuilt archive and a new cluster get the images again.
 */

import * as path from "path";
import { stringify } from "yaml";
import { shortHash } from "../../lib/hash";
import { buildAuditPolicy, buildKindConfig } from "./kindConfig";

/** The kind cluster's kubeconfig, kept in its work folder (kindKubeconfigFile). */
export const KUBECONFIG_FILE_NAME = "kubeconfig";

/** Writes the generated files, creates the cluster unless it exists, prints its kubeconfig on stdout. */
export const CREATE_SCRIPT = `set -eu
# Captured first: in a pipeline a failing kind (Docker down) would read as "no such cluster".
if ! clusters=$(kind get clusters); then
  echo "kind could not list its clusters, so kind cluster $KIND_CLUSTER_NAME was not created: is Docker running and reachable (DOCKER_HOST=\${DOCKER_HOST:-unset})? kind's error is above" >&2
  exit 1
fi
record=$(cat "$KIND_OWNER_FILE" 2>/dev/null || true)
reuse=
if printf '%s\n' "$clusters" | grep -qxF -- "$KIND_CLUSTER_NAME"; then
  case "$record" in
    "$KIND_RECORD")
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
printf '%s\n' "$KIND_RECORD" > "$KIND_OWNER_FILE"
if [ -z "$reuse" ]; then
  if ! kind create cluster --name "$KIND_CLUSTER_NAME" --image "$KIND_NODE_IMAGE" --config "$KIND_CONFIG_FILE" --wait 5m >&2; then
    # kind removes the nodes of a cluster it could not create; the generated files go too: nothing half-made.
    rm -rf "$KIND_WORK_DIR"
    echo "kind could not create cluster $KIND_CLUSTER_NAME from node image $KIND_NODE_IMAGE (kind's error is above); nothing of it is left" >&2
    exit 1
  fi
fi
# Also a file beside the cluster's other files, readable by its owner only: the stack's printed kubectl
# commands name it, so they reach this cluster whatever KUBECONFIG says later.
(umask 077 && kind get kubeconfig --name "$KIND_CLUSTER_NAME" > "$KIND_WORK_DIR/${KUBECONFIG_FILE_NAME}")
cat "$KIND_WORK_DIR/${KUBECONFIG_FILE_NAME}"
`;

/** Deletes the cluster if it is still there and still this definition's, then the generated files. */
export const DELETE_SCRIPT = `set -eu
record=$(cat "$KIND_OWNER_FILE" 2>/dev/null || true)
if [ -n "$record" ] && [ "$record" != "$KIND_RECORD" ]; then
  echo "kind cluster $KIND_CLUSTER_NAME has been made anew from another definition: leaving it and its files" >&2
  exit 0
fi
if ! clusters=$(kind get clusters); then
  echo "kind could not list its clusters, so kind cluster $KIND_CLUSTER_NAME was not deleted: is Docker running and reachable (DOCKER_HOST=\${DOCKER_HOST:-unset})? kind's error is above" >&2
  exit 1
fi
if printf '%s\n' "$clusters" | grep -qxF -- "$KIND_CLUSTER_NAME"; then
  kind delete cluster --name "$KIND_CLUSTER_NAME" >&2
else
  echo "kind cluster $KIND_CLUSTER_NAME is already gone" >&2
fi
rm -rf "$KIND_WORK_DIR"
`;

/**
 * Loads the image archives, then the local Docker images, into the cluster, in order; prints a summary on
 * stdout. Stops at the first `kind load` that fails, naming the archive or image (kind's own error is on
 * stderr above it).
 */
export const IMAGES_SCRIPT = `set -eu
# load_each <kind load subcommand> <what> <" from …" or ""> <config key> <hint or ""> <lines>: each line in
# order, counted in $loaded.
load_each() {
  loaded=0
  while IFS= read -r item; do
    [ -n "$item" ] || continue
    printf 'kind cluster %s: loading %s %s%s\\n' "$KIND_CLUSTER_NAME" "$2" "$item" "$3" >&2
    if ! kind load "$1" "$item" --name "$KIND_CLUSTER_NAME" </dev/null >&2; then
      printf 'could not load %s "%s"%s into kind cluster %s (%s): kind load %s failed, its error is above%s\\n' "$2" "$item" "$3" "$KIND_CLUSTER_NAME" "$4" "$1" "$5" >&2
      exit 1
    fi
    loaded=$((loaded + 1))
  done <<EOF
$6
EOF
}
load_each image-archive "image archive" "" cluster.imageArchives "" "$KIND_IMAGE_ARCHIVES"
archives=$loaded
load_each docker-image image " from the local Docker" cluster.localImages " (is the image in docker image ls?)" "$KIND_LOCAL_IMAGES"
printf 'loaded %s image archive(s) and %s local image(s) into kind cluster %s\\n' "$archives" "$loaded" "$KIND_CLUSTER_NAME"
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
    /** kubeadm config patches for every node (cluster.kubeadmConfigPatches); none: the config as it always was. */
    kubeadmConfigPatches?: string[];
    /** containerd config patches for every node (cluster.containerdConfigPatches). */
    containerdConfigPatches?: string[];
    /** How many times this stack's cluster was found deleted outside Pulumi (kindGeneration); 0 at first. */
    generation?: number;
}

/** The environment both scripts run with; also the full description of the cluster (a change replaces it). */
export function kindCommandEnvironment(inputs: KindCommandInputs): Record<string, string> {
    const auditPolicyFile = path.join(inputs.workDir, "audit-policy.yaml");
    const definition = {
        KIND_CLUSTER_NAME: inputs.clusterName,
        KIND_NODE_IMAGE: inputs.nodeImage,
        KIND_WORK_DIR: inputs.workDir,
        KIND_CONFIG_FILE: path.join(inputs.workDir, "kind-config.yaml"),
        KIND_CONFIG_YAML: stringify(
            buildKindConfig(auditPolicyFile, { kubeadmConfigPatches: inputs.kubeadmConfigPatches, containerdConfigPatches: inputs.containerdConfigPatches }),
        ),
        AUDIT_POLICY_FILE: auditPolicyFile,
        AUDIT_POLICY_YAML: stringify(buildAuditPolicy(inputs.auditNamespace)),
    };
    return {
        ...definition,
        KIND_OWNER: inputs.owner,
        KIND_OWNER_FILE: path.join(inputs.workDir, "owner"),
        // What the cluster is made from, and who made it from that which time: a cluster recorded with another
        // record is replaced.
        KIND_DEFINITION: shortHash(definition),
        KIND_RECORD: ownerRecord(inputs.owner, shortHash(definition), inputs.generation ?? 0),
    };
}

/** The owner file's line: `<owner> <definition>`, then ` <generation>` once the cluster has been made anew. */
export function ownerRecord(owner: string, definition: string, generation: number): string {
    return generation > 0 ? `${owner} ${definition} ${generation}` : `${owner} ${definition}`;
}

/**
 * Which generation of the cluster the stack should have. The owner file records the generation it made; if
 * kind no longer lists a cluster this stack made (`kind delete` behind Pulumi's back), the next generation:
 * a new trigger, so `pulumi up` creates the cluster again. Otherwise the recorded one (no change), also when
 * kind could not be asked (`clusterListed` undefined: Docker down, no kind at preview).
 */
export function kindGeneration(record: string | undefined, owner: string, clusterListed: boolean | undefined): number {
    const [recordOwner, , generation] = (record ?? "").trim().split(" ");
    if (recordOwner !== owner) return 0;
    const recorded = Number(generation ?? 0) || 0;
    return clusterListed === false ? recorded + 1 : recorded;
}

export interface KindImagesInputs {
    clusterName: string;
    /** Absolute paths of image archives, loaded first, in order. */
    imageArchives: string[];
    /** Image references in the local Docker, loaded next, in order. */
    localImages: string[];
}

/** The environment IMAGES_SCRIPT runs with: each list one entry a line. */
export function kindImagesEnvironment(inputs: KindImagesInputs): Record<string, string> {
    for (const entry of [...inputs.imageArchives, ...inputs.localImages]) {
        // Validation refuses these; a line break would split one entry in two.
        if (/[\n\r]/.test(entry) || entry === "") {
            throw new Error(`kind images: ${JSON.stringify(entry)} cannot be passed one a line`);
        }
    }
    return {
        KIND_CLUSTER_NAME: inputs.clusterName,
        KIND_IMAGE_ARCHIVES: inputs.imageArchives.join("\n"),
        KIND_LOCAL_IMAGES: inputs.localImages.join("\n"),
    };
}

/** An image archive as the images Command's triggers see it: a rebuilt archive (new size or mtime) is loaded again. */
export interface ImageArchiveStamp {
    path: string;
    size: number;
    /** Modification time, ISO 8601. */
    mtime: string;
}

/**
 * The images Command's triggers: the lists, each archive's size and mtime, and the cluster command's
 * definition (its environment, which is its trigger: a replaced cluster command is a new cluster).
 */
export function kindImagesTriggers(clusterEnvironment: Record<string, string>, archives: ImageArchiveStamp[], localImages: string[]): unknown[] {
    // Sorted, so that the value does not depend on the order the environment was written in.
    const definition = Object.entries(clusterEnvironment).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return [{ clusterCommand: shortHash(definition), imageArchives: archives, localImages }];
}
