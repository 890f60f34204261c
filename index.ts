/**
 * The KubeRay "Pod Security" tutorial as one dependency graph:
 * kind cluster (or an existing one) → provider → restricted namespace → hardened KubeRay operator →
 * compliant RayCluster with the xgboost example.
 */
import * as fs from "fs";
import * as os from "os";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { readStackConfig } from "./config/fromPulumi";
import { KindCluster } from "./components/kind/kindCluster";
import { kindWorkDir } from "./components/kind/kindConfig";
import { PodSecurityNamespace } from "./components/namespace/podSecurityNamespace";
import { KubeRayOperator } from "./components/operator/kubeRayOperator";
import { SecureRayCluster } from "./components/raycluster/secureRayCluster";
import { dashboardPortForwardCommand as portForwardCommand, rayPodsCommand as podsCommand } from "./program/commands";
import { rayClusterPlan } from "./program/plan";

const config = readStackConfig();

const plan = rayClusterPlan(config);
// Before anything is declared: a RayCluster whose Pods would be refused stops here, nothing created.
SecureRayCluster.assertAdmissible(plan);

const kind =
    config.cluster.mode === "kind"
        ? new KindCluster("cluster", {
              name: config.cluster.name,
              nodeImage: config.cluster.nodeImage,
              auditNamespace: config.namespace,
              workDir: kindWorkDir(config.cluster.name, { home: os.homedir(), xdgStateHome: process.env.XDG_STATE_HOME }),
              kubeadmConfigPatches: config.cluster.kubeadmConfigPatches,
              containerdConfigPatches: config.cluster.containerdConfigPatches,
              // Loaded once the cluster exists; the provider (so everything deployed) waits for them.
              imageArchives: config.cluster.imageArchives,
              localImages: config.cluster.localImages,
          })
        : undefined;

const existing = config.cluster.mode === "existing" ? config.cluster : undefined;
/** The target cluster, for the provider and for the operator's CRDs (applied outside the provider). */
const cluster = {
    kubeconfig: kind ? kind.kubeconfig : "",
    kubeconfigPath: existing?.kubeconfig ?? "",
    context: existing?.context ?? "",
    // A kind cluster is disposable: if it is already gone, `pulumi destroy` must still finish.
    deleteUnreachable: kind !== undefined,
};
const provider = new k8s.Provider("k8s", {
    kubeconfig: kind ? kind.kubeconfig : existing?.kubeconfig,
    context: existing?.context,
    deleteUnreachable: cluster.deleteUnreachable,
});

/** Every Kubernetes object goes to the stack's cluster: the components' children inherit this provider. */
const onCluster = { providers: [provider] };

// namespaceMode "adopt": the namespace exists; only its Pod Security labels are applied (and removed at destroy).
const podSecurityNamespace = new PodSecurityNamespace(
    "namespace",
    { name: config.namespace, level: config.podSecurity.level, version: config.podSecurity.version, adopt: config.namespaceMode === "adopt" },
    onCluster,
);

const operator = new KubeRayOperator(
    "kuberay-operator",
    {
        namespace: podSecurityNamespace.name,
        chartVersion: config.operator.chartVersion,
        chartRepository: config.operator.chartRepository,
        chartPath: config.operator.chartPath,
        clusterWide: config.operator.clusterWide,
        cluster,
    },
    onCluster,
);

// After the operator: its CRDs and the operator itself must exist before the RayCluster.
const rayCluster = new SecureRayCluster("raycluster", { ...plan, namespace: podSecurityNamespace.name }, { ...onCluster, dependsOn: [operator] });

// Every output is a string in both modes, "" where it does not apply (kind-only outputs of an existing cluster,
// the kubeconfig file of a kind cluster): Pulumi drops an undefined output with a warning, and `pulumi stack
// output NAME` fails on a missing one, so the set of outputs would depend on the mode. verify reads "" as absent.

/** Kubeconfig of the cluster (secret): kind's, or the file named by cluster.kubeconfig ("": the ambient one). */
export const kubeconfig = kind ? kind.kubeconfig : existing?.kubeconfig ? pulumi.secret(fs.readFileSync(existing.kubeconfig, "utf8")) : "";
/** The kubeconfig file of an existing cluster (paths inside it are relative to it); "" otherwise. */
export const kubeconfigPath = existing?.kubeconfig ?? "";
/** Kubeconfig context to use with it (empty: the kubeconfig's current context). */
export const kubeContext = kind ? pulumi.interpolate`kind-${kind.clusterName}` : existing?.context ?? "";
/** The kind cluster's name; "" for an existing cluster. */
export const clusterName = kind?.clusterName ?? "";
export const namespace = podSecurityNamespace.name;
export const rayClusterName = rayCluster.rayClusterName;
export const headServiceName = rayCluster.headServiceName;
/** Where printed commands point: this stack's kubeconfig file, context and namespace. */
// A kind cluster's own kubeconfig file (kind also merges it into the default kubeconfig, which may change).
const commandTarget = pulumi
    .all([kubeContext, namespace])
    .apply(([context, ns]) => ({ kubeconfigPath: kind ? kind.kubeconfigFile : kubeconfigPath, context, namespace: ns }));
export const dashboardPortForwardCommand = pulumi.all([commandTarget, headServiceName]).apply(([target, service]) => portForwardCommand(target, service));
/** Lists the RayCluster's Pods (the tutorial's `kubectl get pods`). */
export const rayPodsCommand = pulumi.all([commandTarget, rayClusterName]).apply(([target, name]) => podsCommand(target, name));
/** Where the API server writes the audit log inside the kind node; "" for an existing cluster (not known). */
export const auditLogPath = kind?.auditLogPath ?? "";
/** Prints the kind node's audit log; "" for an existing cluster (its API server's --audit-log-path: give verify a copy). */
export const auditLogCommand = kind?.auditLogCommand ?? "";
