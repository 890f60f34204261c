/**
 * The existing-cluster stack through the real Pulumi CLI and providers, against a real control plane: the
 * shipped Pulumi.existing.yaml pointed at the harness, the chart fetched from a loopback Helm repository, the
 * operator v1.7.0 running while the chart the program installed is there. One stack walked through its life:
 * bad input and faults first (nothing may be created), then up, no-op, update, drift, interruptions, the
 * tutorial's Step 5.1, the policy pack, destroy.
 */

import { ChildProcess } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { stringify, parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CRD_SET_TYPE as CRD_SET } from "../../components/operator/crdSet";
import { CHART_VERSION_ANNOTATION } from "../../components/operator/crds";
import { ControlPlane, startControlPlane } from "../support/harness/controlPlane";
import { KUBERAY_CHART_DIR } from "../support/harness/kuberayOperator";
import { freePort } from "../support/ports";
import { sharedPath } from "../support/shared";
import { ClusterClients, clusterClients, eventually, namespaceExists, podAuditEvents, programObjects, rayClusters } from "../support/pulumi/clusterState";
import { HelmRepository, startHelmRepository } from "../support/pulumi/helmRepository";
import { CliResult, describe as describeRun, killTree, PulumiCli, runPrintedCommand } from "../support/pulumi/pulumiCli";
import { runVerify } from "../support/pulumi/verify";
import { programWarnings } from "../support/pulumi/warnings";
import { PROJECT_DIR } from "../support/paths";
import { endEngineRun } from "../support/pulumi/engineRun";

const STACK = "engine-existing";
// What the shipped Pulumi.existing.yaml sets.
const NAMESPACE = "ray-restricted";
const RAY_CLUSTER = "raycluster-restricted";
const STACK_TRACE = /^\s+at .+:\d+:\d+\)?$/m;
/** A chart release after the vendored 1.7.0 whose CRDs differ (built by upgradedChart()). */
const UPGRADED_CHART_VERSION = "1.7.1";

/** The vendored chart as a later release would ship it: another version, and a label more on one CRD. */
function upgradedChart(dir: string): string {
    const chart = path.join(dir, "kuberay-operator");
    fs.cpSync(sharedPath(KUBERAY_CHART_DIR), chart, { recursive: true });
    fs.chmodSync(chart, 0o755);
    for (const file of ["Chart.yaml", "crds/ray.io_rayclusters.yaml"]) fs.chmodSync(path.join(chart, file), 0o644);
    const chartYaml = path.join(chart, "Chart.yaml");
    fs.writeFileSync(chartYaml, fs.readFileSync(chartYaml, "utf8").replace(/^version: .*$/m, `version: ${UPGRADED_CHART_VERSION}`));
    const crd = path.join(chart, "crds", "ray.io_rayclusters.yaml");
    const text = fs.readFileSync(crd, "utf8");
    if (!text.includes("\n  name: rayclusters.ray.io\n")) throw new Error(`${crd}: metadata.name not where expected`);
    fs.writeFileSync(crd, text.replace("\n  name: rayclusters.ray.io\n", "\n  labels:\n    krps-test: upgraded\n  name: rayclusters.ray.io\n"));
    return chart;
}

/**
 * The output without the Node.js SDK's report of its own shutdown race: when the engine stops on the first
 * error, a registration still in flight can fail with "2 UNKNOWN: resource monitor shut down", which the SDK
 * (3.276) does not recognise as shutdown (it does for UNAVAILABLE) and prints as an unhandled exception with
 * its stack, after the real error. Seen once in many runs; the program's own messages must still carry none.
 */
function withoutShutdownRace(output: string): string {
    const lines = output.split("\n");
    const race = lines.findIndex((line) => /failed to deliver log message|resource monitor shut down/.test(line));
    return race < 0 ? output : lines.slice(0, race).join("\n");
}

let plane: ControlPlane;
let repo: HelmRepository;
let cli: PulumiCli;
let api: ClusterClients;

beforeAll(async () => {
    if (!fs.existsSync(path.join(PROJECT_DIR, "policy", "node_modules", "@pulumi", "policy"))) {
        throw new Error("The policy pack's dependencies are not installed: run `(cd policy && npm ci)` first.");
    }
    plane = await startControlPlane({ auditNamespace: NAMESPACE, operatorNamespaces: [NAMESPACE], operator: "await-chart" });
    api = clusterClients(plane.kubeConfig);
    cli = new PulumiCli();
    repo = await startHelmRepository(sharedPath(KUBERAY_CHART_DIR), upgradedChart(cli.home));
    await cli.initStack(STACK, "Pulumi.existing.yaml");
    // Only what differs from the shipped file on this cluster: where it is, the chart mirror, one worker to start.
    await cli.setConfig(STACK, {
        "cluster.kubeconfig": plane.kubeconfigPath,
        "cluster.context": "e2e",
        "operator.chartRepository": repo.url,
        "ray.workerGroups[0].replicas": "1",
    });
});

afterAll(() => endEngineRun(cli, repo, plane));

/** Runs the CLI and returns stdout + stderr, asserting the exit status. */
async function expectExit(result: CliResult, success: boolean): Promise<string> {
    if ((result.code === 0) !== success) throw new Error(`expected ${success ? "success" : "failure"}: ${describeRun(result)}`);
    return result.stdout + result.stderr;
}

/** A URN's own type (its type part is `<parent types>$<type>`). */
function resourceType(urn: string): string {
    return urn.split("::")[2].split("$").pop()!;
}

async function nothingCreated(): Promise<void> {
    expect(await namespaceExists(api, NAMESPACE)).toBe(false);
    expect((await programObjects(api, NAMESPACE)).CustomResourceDefinition).toEqual([]);
    expect((await cli.stateResources(STACK)).filter((r) => (r.type.startsWith("kubernetes:") && r.type !== "pulumi:providers:kubernetes") || r.type === CRD_SET)).toEqual([]);
}

/** Objects in the cluster and resources in the stack's state, by kind: equal, one each. */
async function clusterMatchesState(): Promise<void> {
    const objects = await programObjects(api, NAMESPACE);
    const state = await cli.stateResources(STACK);
    const inState = (kind: string) => state.filter((r) => r.type.endsWith(`:${kind}`)).map((r) => (r.outputs?.metadata as { name?: string })?.name).sort();
    for (const kind of ["Namespace", "Deployment", "Role", "RoleBinding", "ConfigMap", "RayCluster"]) {
        expect(objects[kind], kind).toEqual(inState(kind));
    }
    // The CRDs are the CRD set's: its names, one resource in the state.
    const [crdSet] = state.filter((r) => r.type === CRD_SET);
    expect(objects.CustomResourceDefinition).toEqual(crdSet.outputs?.names);
    expect(state.filter((r) => r.type.endsWith(":CustomResourceDefinition"))).toEqual([]);
    expect(objects.RayCluster).toHaveLength(1);
}

async function rayClusterReady(name = RAY_CLUSTER): Promise<any> {
    const [cluster] = (await rayClusters(api, NAMESPACE)).filter((rc) => rc.metadata.name === name);
    return cluster?.status?.state === "ready" ? cluster : undefined;
}

describe("bad input and faults stop the CLI with a message that says what to fix, and create nothing", () => {
    it("a misspelt key stops preview with the program's one line, no stack trace", async () => {
        await cli.setConfig(STACK, { "ray.clustrName": "other" });
        const output = await expectExit(await cli.run(STACK, ["preview"]), false);
        expect(output).toContain('Configuration "ray.clustrName" is not a known key; did you mean "ray.clusterName"?');
        expect(output).not.toMatch(STACK_TRACE);
        await cli.ok(STACK, ["config", "rm", "--path", "ray.clustrName"]);
        await nothingCreated();
    });

    it("a bad value stops preview with the program's one line, no stack trace", async () => {
        await cli.setConfig(STACK, { "podSecurity.level": "strict" });
        const output = await expectExit(await cli.run(STACK, ["preview"]), false);
        expect(output).toContain('Configuration "podSecurity.level": "strict" is not allowed; it must be one of "privileged", "baseline", "restricted".');
        expect(output).not.toMatch(STACK_TRACE);
        await cli.ok(STACK, ["config", "rm", "--path", "podSecurity.level"]);
        await nothingCreated();
    });

    it("a missing passphrase says which variable to set", async () => {
        const output = await expectExit(await cli.run(STACK, ["preview"], { env: { PULUMI_CONFIG_PASSPHRASE: undefined, PULUMI_CONFIG_PASSPHRASE_FILE: undefined } }), false);
        expect(output).toMatch(/PULUMI_CONFIG_PASSPHRASE/);
        await nothingCreated();
    });

    it("an unreachable cluster names the cluster it could not reach", async () => {
        const unreachable = path.join(cli.home, "unreachable.kubeconfig");
        const kubeconfig = parse(fs.readFileSync(plane.kubeconfigPath, "utf8"));
        const address = `https://127.0.0.1:${await freePort()}`;
        kubeconfig.clusters[0].cluster.server = address;
        fs.writeFileSync(unreachable, stringify(kubeconfig));
        await cli.setConfig(STACK, { "cluster.kubeconfig": unreachable });
        try {
            const output = await expectExit(await cli.run(STACK, ["up", "--yes"]), false);
            expect(output).toContain(address.replace("https://", ""));
            expect(output).toMatch(/unreachable|connection refused/i);
            expect(withoutShutdownRace(output)).not.toMatch(STACK_TRACE);
        } finally {
            // Whatever happened above, the later tests get the stack as it was.
            await cli.setConfig(STACK, { "cluster.kubeconfig": plane.kubeconfigPath });
        }
        await nothingCreated();
    });

    it("a chart repository that answers 404 names the repository", async () => {
        await cli.setConfig(STACK, { "operator.chartRepository": repo.missingUrl });
        try {
            const output = await expectExit(await cli.run(STACK, ["up", "--yes"]), false);
            expect(output).toContain(repo.missingUrl.replace(/\/$/, ""));
            expect(output).toMatch(/404/);
            expect(repo.requests.some((r) => r.status === 404 && r.path.startsWith("/no-such-repository/"))).toBe(true);
        } finally {
            await cli.setConfig(STACK, { "operator.chartRepository": repo.url });
        }
        await nothingCreated();
    });
});

describe("the existing-cluster stack, up to ready", () => {
    let upOutput = "";

    it("preview lists every resource the program declares, the RayCluster of the chart's CRD included, and the policy pack passes it", async () => {
        // With the policy pack: the default configuration passes it.
        const result = await cli.ok(STACK, ["preview", "--json", "--policy-pack", "policy"]);
        const steps = (JSON.parse(result.stdout).steps as Array<{ op: string; urn: string }>).filter((s) => s.op === "create");
        const types = steps.map((s) => resourceType(s.urn));
        for (const type of [
            "kuberay-pod-security:index:PodSecurityNamespace",
            "kuberay-pod-security:index:KubeRayOperator",
            "kuberay-pod-security:index:SecureRayCluster",
            "kubernetes:core/v1:Namespace",
            "kubernetes:helm.sh/v4:Chart",
            "kubernetes:apps/v1:Deployment",
            "kubernetes:core/v1:ServiceAccount",
            "kubernetes:rbac.authorization.k8s.io/v1:Role",
            "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
            "kubernetes:core/v1:ConfigMap",
            "kubernetes:ray.io/v1:RayCluster",
        ]) {
            expect(types, type).toContain(type);
        }
        // The chart's CRDs as one set, not as four chart children.
        expect(types.filter((t) => t === CRD_SET)).toHaveLength(1);
        expect(types.filter((t) => t === "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition")).toEqual([]);
        // Fetched from the mirror: the index, then the archive it names.
        expect(repo.requests.filter((r) => r.status === 200).map((r) => r.path)).toEqual(expect.arrayContaining(["/charts/index.yaml", "/charts/kuberay-operator-1.7.0.tgz"]));
        await nothingCreated();
    });

    it("up returns only once the RayCluster is ready", async () => {
        const result = await cli.ok(STACK, ["up", "--yes"]);
        upOutput = result.stdout + result.stderr;
        // Read the moment the CLI returned: Pulumi waited for RayClusterProvisioned.
        const cluster = await rayClusterReady();
        expect(cluster?.status?.conditions?.find((c: any) => c.type === "RayClusterProvisioned")?.status).toBe("True");
        expect(plane.operator!.starts).toBeGreaterThanOrEqual(1);
    });

    it("shows no warning the program could avoid", () => {
        expect(programWarnings(upOutput)).toEqual([]);
    });

    it("has the outputs the README describes, the kubeconfig a secret", async () => {
        const shown = await cli.outputs(STACK, false);
        expect(shown.kubeconfig).toBe("[secret]");
        const outputs = await cli.outputs(STACK);
        expect(outputs.kubeconfig).toBe(fs.readFileSync(plane.kubeconfigPath, "utf8"));
        expect(outputs).toMatchObject({ kubeconfigPath: plane.kubeconfigPath, kubeContext: "e2e", namespace: NAMESPACE, rayClusterName: RAY_CLUSTER, headServiceName: `${RAY_CLUSTER}-head-svc` });
        expect(outputs.dashboardPortForwardCommand).toBe(`kubectl --kubeconfig ${plane.kubeconfigPath} --context e2e port-forward -n ${NAMESPACE} svc/${RAY_CLUSTER}-head-svc 8265:8265`);
        expect(Object.values(outputs).every((value) => value !== null && value !== undefined)).toBe(true);
    });

    it("prints commands that run as printed against this cluster (its kubeconfig, context and namespace); none is prose", async () => {
        const outputs = await cli.outputs(STACK);
        expect(runPrintedCommand(String(outputs.rayPodsCommand), cli.env)).toMatch(new RegExp(`^${RAY_CLUSTER}-head-\\S+ `, "m"));
        expect(outputs.auditLogCommand).toBe("");
    });

    it("the operator's own Pod, from the chart, is admitted under restricted; so are the Ray Pods, with no violation", async () => {
        const operatorPods = (await api.core.listNamespacedPod({ namespace: NAMESPACE, labelSelector: "app.kubernetes.io/name=kuberay-operator" })).items;
        expect(operatorPods.map((pod) => pod.status?.phase)).toEqual(["Running"]);
        const namespace = await api.core.readNamespace({ name: NAMESPACE });
        expect(namespace.metadata?.labels?.["pod-security.kubernetes.io/enforce"]).toBe("restricted");
        const creates = podAuditEvents(plane.auditLogPath, NAMESPACE).filter((e) => e.verb === "create");
        const admitted = creates.filter((e) => e.responseStatus?.code === 201);
        // The operator's Pod, the head and the worker.
        expect(admitted.length).toBeGreaterThanOrEqual(3);
        for (const event of admitted) {
            expect(event.annotations["pod-security.kubernetes.io/enforce-policy"]).toBe("restricted:latest");
            expect(event.annotations).not.toHaveProperty(["pod-security.kubernetes.io/audit-violations"]);
        }
        // No refusal by Pod Security (a refusal for another reason is not a Pod Security matter).
        expect(creates.filter((e) => e.responseStatus?.code === 403 && /PodSecurity/.test(e.responseStatus?.message ?? ""))).toEqual([]);
    });

    it("npm run verify passes every check that can run without containers", async () => {
        const report = await runVerify(cli, STACK, ["--audit-log", plane.auditLogPath]);
        const status = Object.fromEntries(report.json.checks.map((c: any) => [c.id, c.status]));
        expect(report.json.checks.slice(0, 3).map((c: any) => c.status), report.output).toEqual(["passed", "passed", "passed"]);
        // kwok's Pods run nothing: no dashboard to submit the job to, no container to exec pip in.
        expect(Object.values(status).slice(3)).not.toContain("passed");
    });
});

describe("a deployed stack under change", () => {
    it("is a no-op: preview and refresh find no change", async () => {
        await cli.ok(STACK, ["preview", "--expect-no-changes"]);
        await cli.ok(STACK, ["refresh", "--yes", "--expect-no-changes"]);
    });

    it("keeps a small state: the CRDs are not in it", async () => {
        const state = (await cli.ok(STACK, ["stack", "export"])).stdout;
        console.log(`engine suite: state of the deployed stack ${(state.length / 1024).toFixed(0)} KB`);
        expect(state.length).toBeLessThan(500 * 1024);
    });

    it("a CRD deleted behind its back: refresh notices, the next up applies the chart's CRDs again", async () => {
        // RayCronJob's controller is off in operator 1.7: nothing of the stack's uses this one.
        await api.apiext.deleteCustomResourceDefinition({ name: "raycronjobs.ray.io" });
        await eventually("CRD gone", async () => ((await programObjects(api, NAMESPACE)).CustomResourceDefinition.includes("raycronjobs.ray.io") ? undefined : true));
        await cli.ok(STACK, ["refresh", "--yes"]);
        const preview = JSON.parse((await cli.ok(STACK, ["preview", "--json"])).stdout);
        expect((preview.steps as Array<{ op: string; urn: string }>).filter((s) => s.op !== "same").map((s) => [s.op, resourceType(s.urn)])).toEqual([["update", CRD_SET]]);
        await cli.ok(STACK, ["up", "--yes"]);
        await clusterMatchesState();
        await cli.ok(STACK, ["preview", "--expect-no-changes"]);
    });

    it("a newer chart upgrades its CRDs (Helm would not); going back to the older chart is refused, nothing changed", async () => {
        await cli.setConfig(STACK, { "operator.chartVersion": UPGRADED_CHART_VERSION });
        await cli.ok(STACK, ["up", "--yes"]);
        const upgraded = await api.apiext.readCustomResourceDefinition({ name: "rayclusters.ray.io" });
        expect(upgraded.metadata?.labels?.["krps-test"]).toBe("upgraded");
        expect(upgraded.metadata?.annotations?.[CHART_VERSION_ANNOTATION]).toBe(UPGRADED_CHART_VERSION);
        await clusterMatchesState();

        await cli.setConfig(STACK, { "operator.chartVersion": "1.7.0" });
        try {
            const output = await expectExit(await cli.run(STACK, ["up", "--yes"]), false);
            expect(output).toContain(`CRD rayclusters.ray.io on the cluster is from kuberay-operator chart ${UPGRADED_CHART_VERSION}, newer than 1.7.0 (operator.chartVersion): set operator.chartVersion to that chart version or later`);
            expect(withoutShutdownRace(output)).not.toMatch(STACK_TRACE);
            const kept = await api.apiext.readCustomResourceDefinition({ name: "rayclusters.ray.io" });
            expect(kept.metadata?.labels?.["krps-test"]).toBe("upgraded");
        } finally {
            await cli.setConfig(STACK, { "operator.chartVersion": UPGRADED_CHART_VERSION });
        }
        await cli.ok(STACK, ["up", "--yes"]);
        await cli.ok(STACK, ["preview", "--expect-no-changes"]);
    });

    it("updates the RayCluster in place when the worker replicas go from 1 to 2, and the second worker runs", async () => {
        await cli.setConfig(STACK, { "ray.workerGroups[0].replicas": "2" });
        const preview = JSON.parse((await cli.ok(STACK, ["preview", "--json"])).stdout);
        const changed = (preview.steps as Array<{ op: string; urn: string }>).filter((s) => s.op !== "same");
        expect(changed.map((s) => [s.op, resourceType(s.urn)])).toEqual([["update", "kubernetes:ray.io/v1:RayCluster"]]);
        await cli.ok(STACK, ["up", "--yes"]);
        await eventually("two worker Pods Running", async () => {
            const pods = (await api.core.listNamespacedPod({ namespace: NAMESPACE, labelSelector: `ray.io/cluster=${RAY_CLUSTER},ray.io/node-type=worker` })).items;
            return pods.filter((p) => p.status?.phase === "Running").length === 2 ? pods : undefined;
        });
        await clusterMatchesState();
    });

    /** Deletes the RayCluster behind Pulumi's back; `refresh` must notice, so that the next `up` creates it again. */
    async function deleteRayClusterAndRefresh(): Promise<CliResult> {
        await api.custom.deleteNamespacedCustomObject({ group: "ray.io", version: "v1", namespace: NAMESPACE, plural: "rayclusters", name: RAY_CLUSTER });
        await eventually("RayCluster gone", async () => ((await rayClusters(api, NAMESPACE)).length === 0 ? true : undefined));
        return cli.ok(STACK, ["refresh", "--yes"]);
    }

    /** Starts `up` with the operator held, so it creates the RayCluster and then waits for it. */
    async function upWaitingForRayCluster(onSpawn?: (child: ChildProcess) => void): Promise<{ up: Promise<CliResult> }> {
        await plane.operator!.hold();
        const up = cli.run(STACK, ["up", "--yes"], { onSpawn });
        await eventually("RayCluster created", async () => ((await rayClusters(api, NAMESPACE)).length === 1 ? true : undefined), 300_000);
        // Wrapped: an async function returning the promise itself would wait for the whole `up`.
        return { up };
    }

    it("notices a RayCluster deleted behind its back; an up interrupted (SIGINT) while it waits for it is finished by the next up", async () => {
        const refresh = await deleteRayClusterAndRefresh();
        expect(refresh.stdout).toMatch(/RayCluster\s+raycluster\s+deleted|1 deleted/);
        let child: ChildProcess | undefined;
        const { up: interrupted } = await upWaitingForRayCluster((c) => (child = c));
        await new Promise((resolve) => setTimeout(resolve, 2000));
        killTree(child!, "SIGINT");
        const result = await interrupted;
        expect(result.code, describeRun(result)).not.toBe(0);
        plane.operator!.release();
        await cli.ok(STACK, ["up", "--yes"]);
        expect(await rayClusterReady()).toBeDefined();
        await clusterMatchesState();
    });

    it("an up whose API server stops and restarts mid-way is finished by the next up, nothing orphaned or duplicated", async () => {
        await deleteRayClusterAndRefresh();
        const { up: interrupted } = await upWaitingForRayCluster();
        await plane.stopApiServer();
        await new Promise((resolve) => setTimeout(resolve, 5000));
        await plane.startApiServer();
        plane.operator!.release();
        // Either outcome is the provider's to choose (it may ride out the outage); the next up must finish.
        await interrupted;
        await cli.ok(STACK, ["up", "--yes"]);
        expect(await rayClusterReady()).toBeDefined();
        await clusterMatchesState();
        await cli.ok(STACK, ["preview", "--expect-no-changes"]);
    });
});

describe("the tutorial's Step 5.1 on the deployed stack", () => {
    it("stops preview with the checker's message, creating nothing", async () => {
        await cli.setConfig(STACK, { "ray.variant": "complete", "ray.clusterName": "raycluster-complete" });
        const output = await expectExit(await cli.run(STACK, ["preview"]), false);
        expect(output).toContain('violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false (container "ray-head" must set securityContext.allowPrivilegeEscalation=false)');
        expect(output).not.toMatch(STACK_TRACE);
        expect((await rayClusters(api, NAMESPACE)).map((rc) => rc.metadata.name)).toEqual([RAY_CLUSTER]);
    });

    it("the policy pack refuses it as a mandatory violation when the program only warns", async () => {
        await cli.setConfig(STACK, { "podSecurity.failOnViolation": "false" });
        const output = await expectExit(await cli.run(STACK, ["preview", "--policy-pack", "policy"]), false);
        expect(output).toMatch(/mandatory/);
        expect(output).toContain("pod-security-standards");
        expect(output).toContain("allowPrivilegeEscalation != false");
    });

    it("with failOnViolation false, up completes without waiting and verify reports the refusal", async () => {
        await cli.ok(STACK, ["up", "--yes"]);
        expect((await rayClusters(api, NAMESPACE)).map((rc) => rc.metadata.name)).toEqual(["raycluster-complete"]);
        const report = await runVerify(cli, STACK, ["--audit-log", plane.auditLogPath, "--timeout", "60"]);
        expect(report.code).toBe(1);
        const [ready, , audit] = report.json.checks;
        expect(ready.status).toBe("failed");
        expect(ready.summary).toContain('violates PodSecurity "restricted:latest"');
        expect(audit.status).toBe("failed");
    });
});

describe("destroy", () => {
    it("removes everything, and the stack can be removed", async () => {
        await cli.ok(STACK, ["destroy", "--yes"]);
        const left = await programObjects(api, NAMESPACE);
        expect(left).toEqual({ Namespace: [], CustomResourceDefinition: [], ClusterRole: [], ClusterRoleBinding: [] });
        await cli.ok(STACK, ["stack", "rm", "--yes"]);
        expect(fs.existsSync(cli.stackFile(STACK))).toBe(false);
    });
});
