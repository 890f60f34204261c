/**
 * The components as a Pulumi package, from another language, for real: `pulumi package get-schema` on
 * plugin/ lists every component with documented inputs; the Pulumi YAML program in examples/yaml (its
 * `packages:` names ../../plugin) runs through the real CLI, the YAML language host built from the Go module
 * proxy and the Node.js host running the components as a plugin, against the harness's control plane:
 * `up` to a ready RayCluster whose Pods the API server admits under restricted, a wrong type named at
 * preview, `destroy` leaving nothing.
 */

import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ControlPlane, startControlPlane } from "../support/harness/controlPlane";
import { KUBERAY_CHART_DIR } from "../support/harness/kuberayOperator";
import { projectPath } from "../support/paths";
import { ClusterClients, clusterClients, namespaceExists, podAuditEvents, rayClusters } from "../support/pulumi/clusterState";
import { HelmRepository, startHelmRepository } from "../support/pulumi/helmRepository";
import { skipAfterFirstFailure } from "../support/pulumi/lifeWalk";
import { PulumiCli } from "../support/pulumi/pulumiCli";
import { sharedPath } from "../support/shared";
import { endEngineRun } from "../support/pulumi/engineRun";

const EXAMPLE_DIR = projectPath("examples", "yaml");
const STACK = "engine-yaml";
const NAMESPACE = "ray-yaml";
const RAY_CLUSTER = "raycluster-yaml";
const COMPONENTS = ["KindCluster", "PodSecurityNamespace", "KubeRayOperator", "SecureRayCluster"].map((name) => `kuberay-pod-security:index:${name}`);

let plane: ControlPlane;
let repo: HelmRepository;
let cli: PulumiCli;
let api: ClusterClients;

beforeAll(async () => {
    plane = await startControlPlane({ auditNamespace: NAMESPACE, operatorNamespaces: [NAMESPACE], operator: "await-chart" });
    api = clusterClients(plane.kubeConfig);
    cli = new PulumiCli(undefined, EXAMPLE_DIR);
    repo = await startHelmRepository(sharedPath(KUBERAY_CHART_DIR));
    await cli.initStack(STACK);
    await cli.ok(STACK, ["config", "set", "kubeconfig", plane.kubeconfigPath]);
    await cli.ok(STACK, ["config", "set", "context", "e2e"]);
    await cli.ok(STACK, ["config", "set", "chartRepository", repo.url]);
});

afterAll(() => endEngineRun(cli, repo, plane));

describe("the components as a Pulumi package", () => {
    it("`pulumi package get-schema` lists every component, every input documented", async () => {
        const schema = JSON.parse((await cli.ok(undefined, ["package", "get-schema", projectPath("plugin")])).stdout);
        expect(schema.name).toBe("kuberay-pod-security");
        expect(Object.keys(schema.resources).sort()).toEqual([...COMPONENTS].sort());
        for (const token of COMPONENTS) {
            const resource = schema.resources[token];
            expect(resource.isComponent, token).toBe(true);
            expect(resource.description, token).toBeTruthy();
            for (const [name, input] of Object.entries<any>(resource.inputProperties)) {
                expect(input.description, `${token} input ${name}`).toMatch(/\S/);
                // An optional input says what it defaults to.
                if (!resource.requiredInputs.includes(name)) expect(input.description, `${token} input ${name}`).toMatch(/Default/);
            }
        }
        for (const [token, type] of Object.entries<any>(schema.types)) {
            for (const [name, property] of Object.entries<any>(type.properties ?? {})) expect(property.description, `${token}.${name}`).toMatch(/\S/);
            for (const value of type.enum ?? []) expect(value.description, `${token} ${value.value}`).toMatch(/\S/);
        }
        expect(schema.types["kuberay-pod-security:index:Level"].enum.map((v: any) => v.value)).toEqual(["privileged", "baseline", "restricted"]);
    });

    describe("a Pulumi YAML program (examples/yaml), through the real CLI", () => {
        skipAfterFirstFailure();

        it("names a wrong input's property at preview, nothing created", async () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "krps-yaml-bad-"));
            try {
                const program = fs.readFileSync(path.join(EXAMPLE_DIR, "Pulumi.yaml"), "utf8");
                fs.writeFileSync(
                    path.join(dir, "Pulumi.yaml"),
                    program.replace("name: kuberay-pod-security-yaml", "name: kuberay-pod-security-yaml-bad").replace("kuberay-pod-security: ../../plugin", `kuberay-pod-security: ${projectPath("plugin")}`).replace("readyTimeoutSeconds: 600", "readyTimeoutSeconds: soon"),
                );
                const bad = new PulumiCli(undefined, dir);
                try {
                    await bad.initStack("bad");
                    await bad.ok("bad", ["config", "set", "kubeconfig", plane.kubeconfigPath]);
                    const preview = await bad.run("bad", ["preview"]);
                    expect(preview.code).not.toBe(0);
                    expect(preview.stdout + preview.stderr).toMatch(/readyTimeoutSeconds: Cannot assign type 'string' to type 'number'/);
                } finally {
                    bad.dispose();
                }
                expect(await namespaceExists(api, NAMESPACE)).toBe(false);
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });

        it("`pulumi up` makes the namespace, the operator and a RayCluster that is ready, its Pods admitted under restricted", async () => {
            await cli.ok(STACK, ["up", "--yes"]);
            const outputs = await cli.outputs(STACK);
            expect(outputs).toMatchObject({ namespace: NAMESPACE, rayClusterName: RAY_CLUSTER, headServiceName: `${RAY_CLUSTER}-head-svc` });
            const namespace = await api.core.readNamespace({ name: NAMESPACE });
            expect(namespace.metadata?.labels?.["pod-security.kubernetes.io/enforce"]).toBe("restricted");
            const [rayCluster] = await rayClusters(api, NAMESPACE);
            expect(rayCluster.status?.conditions?.find((c: any) => c.type === "RayClusterProvisioned")?.status).toBe("True");
            const creates = podAuditEvents(plane.auditLogPath, NAMESPACE).filter((e) => e.verb === "create");
            expect(creates.length).toBeGreaterThanOrEqual(2);
            for (const event of creates) {
                expect(event.responseStatus?.code, JSON.stringify(event.objectRef)).toBe(201);
                expect(event.annotations?.["pod-security.kubernetes.io/audit-violations"]).toBeUndefined();
            }
            // The components ran in the package's plugin: their children carry the package's type tokens.
            const types = (await cli.stateResources(STACK)).map((r) => r.type);
            expect(types).toEqual(expect.arrayContaining(COMPONENTS.filter((t) => !t.endsWith("KindCluster"))));
        });

        it("`pulumi destroy` leaves no namespace, RayCluster or CRD", async () => {
            await cli.ok(STACK, ["destroy", "--yes"]);
            expect(await namespaceExists(api, NAMESPACE)).toBe(false);
            const crds = await api.apiext.listCustomResourceDefinition();
            expect(crds.items.map((crd) => crd.metadata?.name ?? "").filter((name) => name.endsWith(".ray.io"))).toEqual([]);
        });
    });
});
