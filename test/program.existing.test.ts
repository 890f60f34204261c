import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { targetFromOutputs } from "../verify/stack/stackOutputs";
import { ProgramRun, runProgram } from "./helpers/program";
import { cliConfig } from "./helpers/stackConfig";
import { validateRayCluster } from "./helpers/crdSchema";

const KUBECONFIG = "apiVersion: v1\nkind: Config\ncurrent-context: staging\n";
let run: ProgramRun;
let kubeconfigFile: string;

beforeAll(async () => {
    kubeconfigFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "krps-")), "config");
    fs.writeFileSync(kubeconfigFile, KUBECONFIG);
    // The example stack file as shipped, pointed at a kubeconfig that exists on this machine.
    run = await runProgram("existing", cliConfig("existing", { "kuberay-pod-security:cluster": { kubeconfig: kubeconfigFile } }));
});

describe("existing-cluster stack under mocks", () => {
    it("creates no kind cluster and builds the provider from the configured kubeconfig and context", () => {
        expect(run.registrations.filter((r) => r.type === "command:local:Command" || r.type.endsWith(":KindCluster"))).toEqual([]);
        const provider = run.find("pulumi:providers:kubernetes", "k8s");
        expect(provider.inputs.kubeconfig).toBe(kubeconfigFile);
        expect(provider.inputs.context).toBe("staging");
        expect(provider.inputs.deleteUnreachable).toBe("false");
    });

    it("declares the same namespace, operator and RayCluster, through that provider", () => {
        const kubernetes = run.registrations.filter((r) => r.type.startsWith("kubernetes:"));
        expect(kubernetes.map((r) => r.type).sort()).toEqual([
            "kubernetes:core/v1:ConfigMap",
            "kubernetes:core/v1:Namespace",
            "kubernetes:helm.sh/v4:Chart",
            "kubernetes:ray.io/v1:RayCluster",
        ]);
        for (const resource of kubernetes) {
            expect(resource.provider).toMatch(/::pulumi:providers:kubernetes::k8s::k8s-id$/);
            expect(resource.parentType).toMatch(/^kuberay-pod-security:index:/);
        }
        expect(run.find("kubernetes:core/v1:Namespace").inputs.metadata.name).toBe("ray-restricted");
    });

    it("takes the stack file's sizing: two 4-CPU workers, an 8Gi head, a 900 s wait", () => {
        const rayCluster = run.find("kubernetes:ray.io/v1:RayCluster").inputs;
        expect(validateRayCluster(rayCluster)).toEqual([]);
        expect(rayCluster.metadata.name).toBe("raycluster-restricted");
        expect(rayCluster.metadata.annotations["pulumi.com/timeoutSeconds"]).toBe("900");
        expect(rayCluster.spec.headGroupSpec.template.spec.containers[0].resources).toEqual({
            requests: { cpu: "2", memory: "8Gi" },
            limits: { cpu: "2", memory: "8Gi" },
        });
        expect(rayCluster.spec.workerGroupSpecs).toHaveLength(1);
        expect(rayCluster.spec.workerGroupSpecs[0]).toMatchObject({ groupName: "cpu-workers", replicas: 2, minReplicas: 1, maxReplicas: 4 });
    });

    it("exports the kubeconfig file's contents as a secret and kubectl flags for it", () => {
        expect(run.outputs.kubeconfig).toBe(KUBECONFIG);
        expect(run.secretOutputs).toEqual(["kubeconfig"]);
        expect(run.outputs.kubeContext).toBe("staging");
        expect(run.outputs.kubeconfigPath).toBe(kubeconfigFile);
        expect(run.outputs.clusterName).toBe("");
        expect(run.outputs.auditLogPath).toBe("");
        expect(run.outputs.dashboardPortForwardCommand).toBe(
            `kubectl --kubeconfig ${kubeconfigFile} --context staging port-forward -n ray-restricted svc/raycluster-restricted-head-svc 8265:8265`,
        );
        expect(run.outputs.rayPodsCommand).toBe(
            `kubectl --kubeconfig ${kubeconfigFile} --context staging get pods -n ray-restricted -l ray.io/cluster=raycluster-restricted`,
        );
        // What does not apply is empty, not prose: `$(pulumi stack output auditLogCommand)` must not run a sentence.
        expect(run.outputs.auditLogCommand).toBe("");
    });

    it("exports every output as a string, the kind-only ones empty (an undefined output is dropped with a warning)", () => {
        for (const [name, value] of Object.entries(run.outputs)) {
            expect(typeof value, name).toBe("string");
        }
    });

    it("gives verify a target without a kind node, so its audit check needs --audit-log", () => {
        const target = targetFromOutputs(run.outputs, "existing");
        expect(target).toMatchObject({ kubeconfig: KUBECONFIG, kubeconfigPath: kubeconfigFile, kubeContext: "staging", namespace: "ray-restricted" });
        expect(target.clusterName).toBeUndefined();
        expect(target.auditLogPath).toBeUndefined();
    });
});

describe("existing-cluster stack with the ambient kubeconfig and its current context", () => {
    it("exports every output as a string: kubeconfig, kubeconfigPath and kubeContext empty", async () => {
        vi.resetModules();
        const ambient = await runProgram("existing", cliConfig("existing", { "kuberay-pod-security:cluster": { kubeconfig: "", context: "" } }));
        expect(ambient.find("pulumi:providers:kubernetes", "k8s").inputs.kubeconfig).toBeUndefined();
        for (const [name, value] of Object.entries(ambient.outputs)) {
            expect(typeof value, name).toBe("string");
        }
        expect(ambient.outputs).toMatchObject({ kubeconfig: "", kubeconfigPath: "", kubeContext: "", clusterName: "", auditLogPath: "" });
        expect(ambient.secretOutputs).toEqual([]);
        expect(targetFromOutputs(ambient.outputs)).toEqual({
            namespace: "ray-restricted",
            rayClusterName: "raycluster-restricted",
            headServiceName: "raycluster-restricted-head-svc",
            kubeconfig: undefined,
            kubeconfigPath: undefined,
            kubeContext: undefined,
            clusterName: undefined,
            auditLogPath: undefined,
        });
    });
});
