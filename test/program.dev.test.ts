import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { rayClusterPods } from "../model/kuberay/operatorPods";
import { RayCluster } from "../model/k8s/types";
import { kindWorkDir } from "../components/kind/kindConfig";
import { CRD_SET_TYPE as CRD_SET } from "../components/operator/crdSet";
import { chartCrds, crdDigest } from "../components/operator/crds";
import { FAKE_KUBECONFIG, FAKE_RENDERED_CHART, ProgramRun, runProgram } from "./helpers/program";
import { cliConfig } from "./helpers/stackConfig";
import { targetFromOutputs } from "../verify/stack/stackOutputs";
import { validateRayCluster } from "./helpers/crdSchema";

const COMPONENT = "kuberay-pod-security:index:";
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const SECRET_MARK = "1b47061264138c4ac30d75fd1eb44270";
let run: ProgramRun;

beforeAll(async () => {
    run = await runProgram("dev", cliConfig("dev"));
});

describe("dev stack (kind) under mocks", () => {
    it("declares the whole graph, each child under its component", () => {
        const byType = (type: string) => run.registrations.filter((r) => r.type === type).map((r) => r.name);
        expect(byType(`${COMPONENT}KindCluster`)).toEqual(["cluster"]);
        expect(byType(`${COMPONENT}PodSecurityNamespace`)).toEqual(["namespace"]);
        expect(byType(`${COMPONENT}KubeRayOperator`)).toEqual(["kuberay-operator"]);
        expect(byType(`${COMPONENT}SecureRayCluster`)).toEqual(["raycluster"]);
        expect(run.find("command:local:Command").parentType).toBe(`${COMPONENT}KindCluster`);
        expect(run.find("kubernetes:core/v1:Namespace").parentType).toBe(`${COMPONENT}PodSecurityNamespace`);
        expect(run.find("kubernetes:helm.sh/v4:Chart").parentType).toBe(`${COMPONENT}KubeRayOperator`);
        expect(run.find(CRD_SET).parentType).toBe(`${COMPONENT}KubeRayOperator`);
        expect(run.find("kubernetes:core/v1:ConfigMap").parentType).toBe(`${COMPONENT}SecureRayCluster`);
        expect(run.find("kubernetes:ray.io/v1:RayCluster").parentType).toBe(`${COMPONENT}SecureRayCluster`);
        // Components are at the top level; so is the provider, created by the program, not by a component.
        for (const component of ["KindCluster", "PodSecurityNamespace", "KubeRayOperator", "SecureRayCluster"]) {
            expect(run.find(`${COMPONENT}${component}`).parentType).toBeUndefined();
        }
        expect(run.find("pulumi:providers:kubernetes").parentType).toBeUndefined();
    });

    it("sends every Kubernetes resource through the provider built from the kind kubeconfig", () => {
        const provider = run.find("pulumi:providers:kubernetes", "k8s");
        // Pulumi's wire form of a secret: the signature key marks it, so the kubeconfig stays encrypted in state.
        expect(provider.inputs.kubeconfig).toEqual({ [SECRET_SIG]: SECRET_MARK, value: FAKE_KUBECONFIG });
        expect(provider.inputs.deleteUnreachable).toBe("true");
        const kubernetes = run.registrations.filter((r) => r.type.startsWith("kubernetes:"));
        expect(kubernetes).toHaveLength(4);
        for (const resource of kubernetes) {
            expect(resource.provider, resource.type).toMatch(/::pulumi:providers:kubernetes::k8s::k8s-id$/);
        }
    });

    it("creates and deletes the kind cluster with idempotent scripts, replacing it on any change", () => {
        const command = run.find("command:local:Command");
        expect(command.inputs.create).toContain('kind create cluster --name "$KIND_CLUSTER_NAME"');
        expect(command.inputs.delete).toContain('kind delete cluster --name "$KIND_CLUSTER_NAME"');
        expect(command.inputs.environment.KIND_CLUSTER_NAME).toBe("kuberay-dev");
        expect(command.inputs.environment.KIND_WORK_DIR).toMatch(/^\/.*\/kuberay-pod-security\/kind\/kuberay-dev$/);
        expect(command.inputs.triggers).toEqual([command.inputs.environment]);
        expect(command.inputs.logging).toBe("stderr");
        const policy = parse(command.inputs.environment.AUDIT_POLICY_YAML);
        expect(policy.rules[0].namespaces).toEqual(["pod-security"]);
    });

    it("with no images to preload, creates no images Command and leaves the kind config without patches (existing stacks unchanged)", () => {
        expect(run.registrations.filter((r) => r.type === "command:local:Command").map((r) => r.name)).toEqual(["cluster-kind"]);
        const config = parse(run.find("command:local:Command").inputs.environment.KIND_CONFIG_YAML);
        expect(Object.keys(config)).toEqual(["kind", "apiVersion", "nodes"]);
    });

    it("labels the namespace for restricted:latest in all three modes", () => {
        const namespace = run.find("kubernetes:core/v1:Namespace");
        expect(namespace.inputs.metadata).toEqual({
            name: "pod-security",
            labels: {
                "pod-security.kubernetes.io/enforce": "restricted",
                "pod-security.kubernetes.io/enforce-version": "latest",
                "pod-security.kubernetes.io/audit": "restricted",
                "pod-security.kubernetes.io/audit-version": "latest",
                "pod-security.kubernetes.io/warn": "restricted",
                "pod-security.kubernetes.io/warn-version": "latest",
            },
        });
    });

    it("installs the pinned operator chart into the namespace, hardened and namespaced", () => {
        const chart = run.find("kubernetes:helm.sh/v4:Chart");
        expect(chart.inputs).toMatchObject({
            chart: "kuberay-operator",
            version: "1.7.0",
            namespace: "pod-security",
            repositoryOpts: { repo: "https://ray-project.github.io/kuberay-helm/" },
        });
        expect(Object.keys(chart.inputs).sort()).toEqual(["chart", "namespace", "repositoryOpts", "skipCrds", "values", "version"]);
        // The CRDs are not the chart's children: they are the CRD set's.
        expect(chart.inputs.skipCrds).toBe(true);
        expect(chart.inputs.values.singleNamespaceInstall).toBe(true);
        expect(chart.inputs.values.securityContext).toEqual({
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            capabilities: { drop: ["ALL"] },
            runAsNonRoot: true,
            seccompProfile: { type: "RuntimeDefault" },
        });
        expect(chart.inputs.values.podSecurityContext).toEqual({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
    });

    it("declares the chart's CRDs as one small set: chart version, digest, names, the rendered CRDs in a file of the cache", () => {
        const crdSet = run.find(CRD_SET);
        const crds = chartCrds(FAKE_RENDERED_CHART);
        expect(crdSet.inputs).toMatchObject({ chartVersion: "1.7.0", digest: crdDigest(crds), names: ["rayclusters.ray.io", "rayjobs.ray.io"], context: "", kubeconfigPath: "", deleteUnreachable: true });
        expect(crdSet.inputs.crdFile.startsWith(`${process.env.XDG_CACHE_HOME}/kuberay-pod-security/crds/`)).toBe(true);
        expect(JSON.parse(fs.readFileSync(crdSet.inputs.crdFile, "utf8"))).toEqual(crds);
        // The kind cluster's kubeconfig, kept as a secret; nothing of the CRDs themselves is an input.
        expect(crdSet.inputs.kubeconfig).toEqual({ [SECRET_SIG]: SECRET_MARK, value: FAKE_KUBECONFIG });
        expect(JSON.stringify(crdSet.inputs).length).toBeLessThan(2000 + FAKE_KUBECONFIG.length + JSON.stringify(crdSet.inputs.__provider ?? "").length);
    });

    it("declares a RayCluster the v1.7.0 CRD schema accepts, waiting for it to be provisioned", () => {
        const rayCluster = run.find("kubernetes:ray.io/v1:RayCluster");
        expect(rayCluster.inputs.metadata.namespace).toBe("pod-security");
        expect(rayCluster.inputs.metadata.annotations).toEqual({
            "pulumi.com/waitFor": "condition=RayClusterProvisioned",
            "pulumi.com/timeoutSeconds": "600",
        });
        expect(validateRayCluster(rayCluster.inputs)).toEqual([]);
    });

    it("hardens every container that will run, including the ones the operator injects", () => {
        const spec = run.find("kubernetes:ray.io/v1:RayCluster").inputs.spec as RayCluster["spec"];
        const pods = rayClusterPods(spec);
        expect(pods.map((pod) => pod.role)).toEqual(["head", "worker/small-group"]);
        const containers = pods.flatMap((pod) => [...(pod.spec.initContainers ?? []), ...pod.spec.containers]);
        expect(containers.map((c) => c.name)).toEqual(["ray-head", "wait-gcs-ready", "ray-worker"]);
        for (const container of containers) {
            expect(container.securityContext, container.name).toEqual({
                allowPrivilegeEscalation: false,
                capabilities: { drop: ["ALL"] },
                runAsNonRoot: true,
                seccompProfile: { type: "RuntimeDefault" },
            });
        }
        for (const pod of pods) {
            expect(pod.spec.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 1000, runAsGroup: 100, fsGroup: 100, seccompProfile: { type: "RuntimeDefault" } });
        }
    });

    it("mounts the ConfigMap's script where the tutorial runs it", () => {
        const configMap = run.find("kubernetes:core/v1:ConfigMap");
        const rayCluster = run.find("kubernetes:ray.io/v1:RayCluster");
        expect(configMap.inputs.metadata).toEqual({ name: "ray-example", namespace: "pod-security" });
        expect(configMap.inputs.data["xgboost_example.py"]).toContain("XGBoostTrainer(");
        const head = rayCluster.inputs.spec.headGroupSpec.template.spec;
        const volume = head.volumes.find((v: any) => v.configMap);
        expect(volume.configMap).toEqual({ name: "ray-example", items: [{ key: "xgboost_example.py", path: "xgboost_example.py" }] });
        expect(head.containers[0].volumeMounts).toContainEqual({ mountPath: "/home/ray/samples", name: volume.name });
    });

    it("exports what a user needs, the kubeconfig as a secret", () => {
        const kindKubeconfig = path.join(kindWorkDir("kuberay-dev", { home: os.homedir(), xdgStateHome: process.env.XDG_STATE_HOME }), "kubeconfig");
        expect(run.outputs).toMatchObject({
            kubeconfig: FAKE_KUBECONFIG,
            kubeContext: "kind-kuberay-dev",
            clusterName: "kuberay-dev",
            namespace: "pod-security",
            rayClusterName: "raycluster-pod-security",
            headServiceName: "raycluster-pod-security-head-svc",
            // The kind cluster's own kubeconfig file, in its work folder.
            dashboardPortForwardCommand: `kubectl --kubeconfig ${kindKubeconfig} --context kind-kuberay-dev port-forward -n pod-security svc/raycluster-pod-security-head-svc 8265:8265`,
            rayPodsCommand: `kubectl --kubeconfig ${kindKubeconfig} --context kind-kuberay-dev get pods -n pod-security -l ray.io/cluster=raycluster-pod-security`,
            auditLogPath: "/var/log/kubernetes/kube-apiserver-audit.log",
            auditLogCommand: "docker exec kuberay-dev-control-plane cat /var/log/kubernetes/kube-apiserver-audit.log",
        });
        expect(run.secretOutputs).toEqual(["kubeconfig"]);
    });

    it("exports every output as a string, the existing-mode one empty (an undefined output is dropped with a warning)", () => {
        for (const [name, value] of Object.entries(run.outputs)) {
            expect(typeof value, name).toBe("string");
        }
        expect(run.outputs.kubeconfigPath).toBe("");
    });

    it("gives verify a kind target: the node's audit log, no kubeconfig file", () => {
        expect(targetFromOutputs(run.outputs, "dev")).toEqual({
            stack: "dev",
            namespace: "pod-security",
            rayClusterName: "raycluster-pod-security",
            kubeconfig: FAKE_KUBECONFIG,
            kubeconfigPath: undefined,
            kubeContext: "kind-kuberay-dev",
            clusterName: "kuberay-dev",
            headServiceName: "raycluster-pod-security-head-svc",
            auditLogPath: "/var/log/kubernetes/kube-apiserver-audit.log",
        });
    });
});
