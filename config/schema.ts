/**
 * Every configuration key the program reads, with its type, default and description.
 *
 * This table is the source of truth: `Pulumi.yaml` declares the same keys (a unit test keeps the two in
 * step), the README lists them, and the validator walks it to find unknown keys. Keys are paths: the Pulumi
 * CLI stores a declared key `ray.version` as `{ray: {version: …}}`, and `pulumi config set --path` does the same.
 */

import { DEFAULT_CHART_REPOSITORY, DEFAULT_CHART_VERSION } from "../model/kuberay/chart";
import { DEFAULT_RAY_VERSION, WorkerGroup } from "../model/ray";

export type ConfigType = "string" | "integer" | "boolean" | "array";

export interface ConfigKey {
    type: ConfigType;
    /** For `type: "array"`: the type of each entry (Pulumi.yaml's `items`); the program's lists are lists of strings. */
    items?: { type: "string" };
    default: string | number | boolean | readonly string[];
    description: string;
}

/** The kindest/node image kind v0.33 defaults to (Kubernetes v1.37.0), pinned by digest. */
export const DEFAULT_KIND_NODE_IMAGE =
    "kindest/node:v1.37.0@sha256:a1ed56cfb0e7b93589bdf97c8cd566405a265939e3620fc4f5de89adff580ae5";


export const CONFIG_KEYS = {
    "cluster.mode": {
        type: "string",
        default: "kind",
        description: "Where to deploy: `kind` creates a local kind cluster with audit logging; `existing` uses a cluster you already have.",
    },
    "cluster.name": {
        type: "string",
        default: "",
        description: "kind mode: name of the kind cluster. Empty means `kuberay-<stack>`, so two stacks never share a cluster.",
    },
    "cluster.nodeImage": {
        type: "string",
        default: DEFAULT_KIND_NODE_IMAGE,
        description: "kind mode: the kindest/node image (with a tag, ideally pinned by digest).",
    },
    "cluster.kubeadmConfigPatches": {
        type: "array",
        items: { type: "string" },
        default: [],
        description:
            "kind mode: kubeadm config patches kind merges into every node's kubeadm config (kind's cluster-level `kubeadmConfigPatches`), each one YAML mapping whose `kind` is ClusterConfiguration, InitConfiguration, JoinConfiguration, KubeletConfiguration or KubeProxyConfiguration, e.g. `kind: KubeletConfiguration` with `failCgroupV1: false` on a cgroup v1 host. Changing them replaces the cluster.",
    },
    "cluster.containerdConfigPatches": {
        type: "array",
        items: { type: "string" },
        default: [],
        description:
            'kind mode: TOML fragments kind merges into every node\'s containerd config (kind\'s `containerdConfigPatches`), e.g. `[plugins."io.containerd.grpc.v1.cri"]` with `restrict_oom_score_adj = true` for rootless Docker. Changing them replaces the cluster.',
    },
    "cluster.imageArchives": {
        type: "array",
        items: { type: "string" },
        default: [],
        description:
            "kind mode: image archives (`docker save` or OCI tarballs; relative paths and `~/` allowed) loaded into the node with `kind load image-archive` once the cluster exists, before anything is deployed. A rebuilt archive is loaded again.",
    },
    "cluster.localImages": {
        type: "array",
        items: { type: "string" },
        default: [],
        description:
            "kind mode: images in the local Docker (references with a tag) loaded into the node with `kind load docker-image` once the cluster exists, before anything is deployed.",
    },
    "cluster.kubeconfig": {
        type: "string",
        default: "",
        description: "existing mode: path to the kubeconfig file. Empty means $KUBECONFIG or ~/.kube/config.",
    },
    "cluster.context": {
        type: "string",
        default: "",
        description: "existing mode: kubeconfig context to use. Empty means the current context.",
    },
    namespace: {
        type: "string",
        default: "pod-security",
        description:
            "Namespace for the operator and the RayCluster; labelled to enforce, audit and warn at the Pod Security level. Not default, kube-system, kube-public, kube-node-lease or any other kube-* name.",
    },
    namespaceMode: {
        type: "string",
        default: "create",
        description:
            '`create`: the stack creates the namespace and deletes it at `pulumi destroy`; it must not exist yet (if it does, `pulumi up` fails with `namespaces "<name>" already exists`: use `adopt`). `adopt` (cluster.mode `existing` only): the namespace exists already; the stack only applies the Pod Security labels to it (server-side apply) and removes just those labels at `pulumi destroy`.',
    },
    "podSecurity.level": {
        type: "string",
        default: "restricted",
        description: "Pod Security Standard the namespace enforces: `privileged`, `baseline` or `restricted`.",
    },
    "podSecurity.version": {
        type: "string",
        default: "latest",
        description: "Pod Security Standard version: `latest` or `v1.N` (e.g. `v1.30`).",
    },
    "podSecurity.failOnViolation": {
        type: "boolean",
        default: true,
        description: "Fail `pulumi preview`/`up` when a Pod the operator will create for the RayCluster would be refused at this level and version; false only warns.",
    },
    "operator.chartVersion": {
        type: "string",
        default: DEFAULT_CHART_VERSION,
        description: "Version of the kuberay-operator Helm chart; with operator.chartPath, the version its Chart.yaml must have.",
    },
    "operator.chartRepository": {
        type: "string",
        default: DEFAULT_CHART_REPOSITORY,
        description: "Where to fetch the kuberay-operator chart: a Helm chart repository (`https://…`, e.g. a mirror) or an OCI registry (`oci://host/path`). Default: the KubeRay project's repository.",
    },
    "operator.chartPath": {
        type: "string",
        default: "",
        description: "A local kuberay-operator chart instead of a repository (air gap): a chart directory or a packaged `.tgz`; relative paths and `~/` allowed. Empty means fetch it from operator.chartRepository.",
    },
    "operator.clusterWide": {
        type: "boolean",
        default: false,
        description: "Let the operator watch every namespace (ClusterRole). Default: only its own namespace (Role).",
    },
    "ray.variant": {
        type: "string",
        default: "pod-security",
        description: "`pod-security`: the hardened RayCluster (tutorial Step 5.2). `complete`: the tutorial's ray-cluster.complete.yaml without any securityContext (Step 5.1; refused under restricted).",
    },
    "ray.clusterName": {
        type: "string",
        default: "raycluster-pod-security",
        description: "Name of the RayCluster; its head Service is `<name>-head-svc`.",
    },
    "ray.version": {
        type: "string",
        default: DEFAULT_RAY_VERSION,
        description: "Ray version (`rayVersion`); KubeRay 1.3+ supports Ray 2.38.0 and later.",
    },
    "ray.image": {
        type: "string",
        default: "",
        description: "Ray container image; its tag must be the Ray version (or start with `<version>-`). Empty means `rayproject/ray:<ray.version>`.",
    },
    "ray.head.cpu": {
        type: "string",
        default: "1",
        description: "CPU for the head Pod (request = limit), a Kubernetes quantity such as `1` or `500m`.",
    },
    "ray.head.memory": {
        type: "string",
        default: "2Gi",
        description: "Memory for the head Pod (request = limit), a Kubernetes quantity such as `2Gi`.",
    },
    "ray.autoscaling": {
        type: "boolean",
        default: false,
        description: "Enable the in-tree autoscaler (the operator adds an `autoscaler` sidecar, hardened through autoscalerOptions).",
    },
    "ray.readyTimeoutSeconds": {
        type: "integer",
        default: 600,
        description: "How long `pulumi up` waits for the RayCluster to be provisioned.",
    },
} as const satisfies Record<string, ConfigKey>;

export type ConfigKeyName = keyof typeof CONFIG_KEYS;

/**
 * `ray.workerGroups` is a list of objects, which Pulumi.yaml cannot declare (pulumi/pulumi#11321): it is
 * documented here and in the README and validated like the others.
 */
export const WORKER_GROUPS_KEY = "ray.workerGroups";

export const DEFAULT_WORKER_GROUP: WorkerGroup = {
    name: "small-group",
    replicas: 1,
    minReplicas: 1,
    maxReplicas: 5,
    cpu: "1",
    memory: "2Gi",
};
