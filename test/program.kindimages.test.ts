/**
 * The kind stack with config patches and images to preload (cluster.kubeadmConfigPatches,
 * cluster.containerdConfigPatches, cluster.imageArchives, cluster.localImages), under mocks: the images
 * Command exists only when there are images, runs after the cluster's, and everything that uses the cluster
 * waits for it through the provider's kubeconfig.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { parse } from "yaml";
import { IMAGES_SCRIPT, kindImagesTriggers } from "../components/kind/commands";
import { CRD_SET_TYPE } from "../components/operator/crdSet";
import { FAKE_KUBECONFIG, mockedCall, ProgramRun, runProgram, useTestCacheHome } from "./helpers/program";
import { cliConfig, PROJECT } from "./helpers/stackConfig";

// The SDK's mock monitor, as the SDK itself loads it: its requests carry the dependencies the mocks do not see.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { MockMonitor } = require("@pulumi/pulumi/runtime/mocks") as { MockMonitor: { prototype: { registerResource(req: any, callback: any): Promise<void> } } };

const COMPONENT = "kuberay-pod-security:index:";
const KUBELET_PATCH = "kind: KubeletConfiguration\nfailCgroupV1: false\n";
const CONTAINERD_PATCH = '[plugins."io.containerd.grpc.v1.cri"]\n  restrict_oom_score_adj = true\n';
const LOCAL_IMAGES = ["quay.io/kuberay/operator:v1.7.0", "rayproject/ray:2.52.0"];

interface Request {
    type: string;
    name: string;
    dependencies: string[];
    /** Property name → URNs of the resources its value depends on. */
    propertyDependencies: Record<string, string[]>;
}

let requests: Request[] = [];
const originalRegister = MockMonitor.prototype.registerResource;

async function runKindStack(cluster: Record<string, unknown>): Promise<{ run: ProgramRun; requests: Request[] }> {
    vi.resetModules();
    requests = [];
    const run = await runProgram("dev", cliConfig("dev", { "kuberay-pod-security:cluster": { mode: "kind", ...cluster } }));
    return { run, requests };
}

function request(type: string, name: string, all: Request[]): Request {
    const found = all.filter((r) => r.type === type && r.name === name);
    expect(found, `${type} ${name}`).toHaveLength(1);
    return found[0];
}

const commandUrn = (name: string) => `urn:pulumi:dev::kuberay-pod-security::${COMPONENT}KindCluster$command:local:Command::${name}`;

let images: string;
let archives: string[];

beforeAll(() => {
    MockMonitor.prototype.registerResource = async function (req: any, callback: any) {
        const propertyDependencies: Record<string, string[]> = {};
        req.getPropertydependenciesMap().forEach((value: { getUrnsList(): string[] }, key: string) => {
            propertyDependencies[key] = value.getUrnsList();
        });
        requests.push({ type: req.getType(), name: req.getName(), dependencies: req.getDependenciesList(), propertyDependencies });
        return originalRegister.call(this, req, callback);
    };
    // Real files: the program's validation reads the disk (fromPulumi.ts), and the triggers stat them.
    images = fs.mkdtempSync(path.join(os.tmpdir(), "krps-images-"));
    archives = [path.join(images, "ray 2.52.0.tar"), path.join(images, "kuberay-operator.oci.tar")];
    fs.writeFileSync(archives[0], "ray image");
    fs.writeFileSync(archives[1], "operator image, OCI layout");
});

afterAll(() => {
    MockMonitor.prototype.registerResource = originalRegister;
});

describe("kind stack with images to preload, under mocks", () => {
    let run: ProgramRun;
    let all: Request[];

    beforeAll(async () => {
        // One archive given relative to the project directory, as a user would.
        const relative = path.relative(process.cwd(), archives[0]);
        expect(path.isAbsolute(relative)).toBe(false);
        ({ run, requests: all } = await runKindStack({
            kubeadmConfigPatches: [KUBELET_PATCH],
            containerdConfigPatches: [CONTAINERD_PATCH],
            imageArchives: [relative, archives[1]],
            localImages: LOCAL_IMAGES,
        }));
    });

    it("declares an images Command under the KindCluster, after the cluster's", () => {
        const commands = run.registrations.filter((r) => r.type === "command:local:Command");
        expect(commands.map((c) => c.name)).toEqual(["cluster-kind", "cluster-images"]);
        expect(run.find("command:local:Command", "cluster-images").parentType).toBe(`${COMPONENT}KindCluster`);
        expect(request("command:local:Command", "cluster-images", all).dependencies).toContain(commandUrn("cluster-kind"));
    });

    it("runs the images script with every value in its environment: absolute archive paths, then the local images", () => {
        const command = run.find("command:local:Command", "cluster-images");
        expect(command.inputs.create).toBe(IMAGES_SCRIPT);
        expect(command.inputs.delete).toBeUndefined();
        expect(command.inputs.environment).toEqual({
            KIND_CLUSTER_NAME: "kuberay-dev",
            KIND_IMAGE_ARCHIVES: archives.join("\n"),
            KIND_LOCAL_IMAGES: LOCAL_IMAGES.join("\n"),
        });
    });

    it("is triggered by the lists, each archive's size and mtime, and the cluster command's definition", () => {
        const command = run.find("command:local:Command", "cluster-images");
        const cluster = run.find("command:local:Command", "cluster-kind");
        const stamps = archives.map((file) => ({ path: file, size: fs.statSync(file).size, mtime: fs.statSync(file).mtime.toISOString() }));
        expect(command.inputs.triggers).toEqual(kindImagesTriggers(cluster.inputs.environment, stamps, LOCAL_IMAGES));
        expect(command.inputs.triggers[0].imageArchives[0]).toEqual({ path: archives[0], size: 9, mtime: expect.any(String) });
    });

    it("makes the provider's kubeconfig, so everything deployed, wait for the images", () => {
        const provider = request("pulumi:providers:kubernetes", "k8s", all);
        expect(provider.propertyDependencies.kubeconfig).toEqual(expect.arrayContaining([commandUrn("cluster-kind"), commandUrn("cluster-images")]));
        // The provider is registered only once the images Command has been.
        expect(all.indexOf(provider)).toBeGreaterThan(all.indexOf(request("command:local:Command", "cluster-images", all)));
        for (const type of ["kubernetes:core/v1:Namespace", "kubernetes:helm.sh/v4:Chart", "kubernetes:ray.io/v1:RayCluster"]) {
            expect(run.find(type).provider, type).toMatch(/::pulumi:providers:kubernetes::k8s::k8s-id$/);
        }
    });

    it("still exports the cluster's kubeconfig, as a secret", () => {
        expect(run.outputs.kubeconfig).toBe(FAKE_KUBECONFIG);
        expect(run.secretOutputs).toEqual(["kubeconfig"]);
    });

    it("puts the patches at the top level of the kind config, the audit patch still on the control-plane node", () => {
        const config = parse(run.find("command:local:Command", "cluster-kind").inputs.environment.KIND_CONFIG_YAML);
        expect(config.kubeadmConfigPatches).toEqual([KUBELET_PATCH]);
        expect(config.containerdConfigPatches).toEqual([CONTAINERD_PATCH]);
        expect(config.nodes).toHaveLength(1);
        expect(config.nodes[0].kubeadmConfigPatches.map((patch: string) => parse(patch).kind)).toEqual(["ClusterConfiguration"]);
    });

    it("loads a rebuilt archive again: its new size and mtime change the triggers", async () => {
        const before = run.find("command:local:Command", "cluster-images").inputs.triggers;
        fs.writeFileSync(archives[1], "operator image, rebuilt");
        fs.utimesSync(archives[1], new Date("2030-01-01T00:00:00Z"), new Date("2030-01-01T00:00:00Z"));
        const { run: again } = await runKindStack({ imageArchives: archives, localImages: LOCAL_IMAGES });
        const after = again.find("command:local:Command", "cluster-images").inputs.triggers;
        expect(after[0].imageArchives[1]).toEqual({ path: archives[1], size: 23, mtime: "2030-01-01T00:00:00.000Z" });
        expect(after[0].imageArchives[0]).toEqual(before[0].imageArchives[0]);
        // The patches are gone in this run: another cluster definition, so the images are loaded into it again.
        expect(after[0].clusterCommand).not.toBe(before[0].clusterCommand);
    });
});

describe("kind stack with patches but no images, under mocks", () => {
    it("creates no images Command, and the provider waits for the cluster alone", async () => {
        const { run, requests: all } = await runKindStack({ kubeadmConfigPatches: [KUBELET_PATCH], imageArchives: [], localImages: [] });
        expect(run.registrations.filter((r) => r.type === "command:local:Command").map((r) => r.name)).toEqual(["cluster-kind"]);
        expect(request("pulumi:providers:kubernetes", "k8s", all).propertyDependencies.kubeconfig).toEqual([commandUrn("cluster-kind")]);
        expect(parse(run.find("command:local:Command", "cluster-kind").inputs.environment.KIND_CONFIG_YAML).kubeadmConfigPatches).toEqual([KUBELET_PATCH]);
        expect(run.outputs.kubeconfig).toBe(FAKE_KUBECONFIG);
    });
});

describe("kind stack at preview, with images still to be loaded", () => {
    it("keeps the kubeconfig known, so that the provider is not planned for replacement", async () => {
        vi.resetModules();
        const inputs: Record<string, Record<string, any>> = {};
        useTestCacheHome();
        pulumi.runtime.setAllConfig(cliConfig("dev", { "kuberay-pod-security:cluster": { mode: "kind", localImages: LOCAL_IMAGES } }));
        await pulumi.runtime.setMocks(
            {
                newResource(args) {
                    inputs[`${args.type}::${args.name}`] = args.inputs;
                    // The cluster is there already (its kubeconfig known); the images Command is to be created, its
                    // outputs unknown until it has run, as at a real preview.
                    const state =
                        args.type !== "command:local:Command" ? args.inputs : args.name === "cluster-images" ? { ...args.inputs } : { ...args.inputs, stdout: FAKE_KUBECONFIG, stderr: "" };
                    return { id: args.name === "cluster-images" ? undefined : `${args.name}-id`, state };
                },
                call: mockedCall,
            },
            PROJECT,
            "dev",
            true,
        );
        const program: Record<string, unknown> = await import("../index");
        const kubeconfig = program.kubeconfig as pulumi.Output<string> & { isKnown: Promise<boolean> };
        expect(await kubeconfig.isKnown).toBe(true);
        expect(await new Promise((resolve) => kubeconfig.apply(resolve))).toBe(FAKE_KUBECONFIG);
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        await (require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> }).waitForRPCs();
        expect(inputs["command:local:Command::cluster-images"]).toBeDefined();
        // An unknown kubeconfig would make pulumi-kubernetes' DiffConfig plan a replacement of the provider.
        expect(inputs["pulumi:providers:kubernetes::k8s"].kubeconfig).toEqual({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: FAKE_KUBECONFIG });
    });

    it("before the cluster exists the chart cannot be rendered: the CRD set is planned with unknown CRDs, no error", async () => {
        vi.resetModules();
        const inputs: Record<string, Record<string, any>> = {};
        useTestCacheHome();
        pulumi.runtime.setAllConfig(cliConfig("dev"));
        await pulumi.runtime.setMocks(
            {
                newResource(args) {
                    inputs[`${args.type}::${args.name}`] = args.inputs;
                    // The cluster's Command is still to be created: its kubeconfig, and so the provider, unknown.
                    return { id: args.type === "command:local:Command" ? undefined : `${args.name}-id`, state: args.inputs };
                },
                // An invoke through a provider that is not configured yet answers nothing at a preview.
                call: (args) => (args.token === "kubernetes:helm:template" ? {} : args.inputs),
            },
            PROJECT,
            "dev",
            true,
        );
        await import("../index");
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        await (require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> }).waitForRPCs();
        const crdSet = inputs[`${CRD_SET_TYPE}::kuberay-operator-crds`];
        expect(crdSet).toBeDefined();
        expect(crdSet.chartVersion).toBe("1.7.0");
        expect(crdSet.digest).toEqual(pulumi.unknown);
        expect(crdSet.names).toEqual(pulumi.unknown);
        expect(inputs["kubernetes:helm.sh/v4:Chart::kuberay-operator"]).toBeDefined();
    });
});
