/**
 * The kind stand-in of the engine suite (test/engine/kind), the parts that run without the built tools:
 * its command lines, how it reads a kind config into the API server's audit files, the kubeconfig it prints,
 * and its answers when there is no cluster to start.
 */

import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as k8s from "@kubernetes/client-node";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { kindCommandEnvironment } from "../components/kind/commands";
import { AUDIT_LOG_PATH, AUDIT_POLICY_PATH, buildAuditPolicy, buildKindConfig } from "../components/kind/kindConfig";
import { adminKubeconfig, Pki } from "./e2e/harness/certificates";
import { parseDockerArgs, parseGoDuration, parseKindArgs, StandinUsageError } from "./engine/kind/args";
import { KindError, runKind } from "./engine/kind/kindCommands";
import { kindKubeconfig } from "./engine/kind/kubeconfig";
import { nodePathOnMachine, planNode, policyNamespaces, throughMounts } from "./engine/kind/nodeConfig";
import { stateRoot } from "./engine/kind/state";
import { testDataPath } from "./helpers/testData";

const BIN = path.join(__dirname, "engine", "kind", "bin");

describe("kind stand-in: command lines", () => {
    it("parses the four commands the program's scripts run, both flag forms", () => {
        expect(parseKindArgs(["get", "clusters"])).toEqual({ command: "get clusters" });
        expect(parseKindArgs(["get", "kubeconfig", "--name", "kuberay-dev"])).toEqual({ command: "get kubeconfig", name: "kuberay-dev" });
        expect(parseKindArgs(["delete", "cluster", "--name=kuberay-dev"])).toEqual({ command: "delete cluster", name: "kuberay-dev" });
        expect(parseKindArgs(["create", "cluster", "--name", "c", "--image", "kindest/node:v1.37.0@sha256:ab", "--config", "/s/kind-config.yaml", "--wait", "5m"])).toEqual({
            command: "create cluster",
            name: "c",
            image: "kindest/node:v1.37.0@sha256:ab",
            config: "/s/kind-config.yaml",
            waitMs: 300_000,
        });
    });

    it("takes kind's default name: $KIND_CLUSTER_NAME, then kind", () => {
        expect(parseKindArgs(["delete", "cluster"], { KIND_CLUSTER_NAME: "from-env" })).toEqual({ command: "delete cluster", name: "from-env" });
        expect(parseKindArgs(["delete", "cluster"], {})).toEqual({ command: "delete cluster", name: "kind" });
        expect(parseKindArgs(["delete", "cluster", "--name", "flag"], { KIND_CLUSTER_NAME: "from-env" })).toMatchObject({ name: "flag" });
    });

    it("refuses what it does not implement, and names that are not kind's (or would leave its state folder)", () => {
        const refused = (args: string[]) => expect(() => parseKindArgs(args), args.join(" ")).toThrow(StandinUsageError);
        refused([]);
        refused(["version"]);
        refused(["get", "nodes"]);
        refused(["get", "clusters", "extra"]);
        refused(["get", "clusters", "--name", "x"]);
        refused(["create", "cluster", "--retain"]);
        refused(["create", "cluster", "-n", "x"]);
        refused(["delete", "cluster", "--name"]);
        refused(["delete", "cluster", "--name", "a", "--name", "b"]);
        refused(["delete", "cluster", "--name", ".."]);
        refused(["delete", "cluster", "--name", "a/b"]);
        refused(["delete", "cluster", "--name", "Upper"]);
        expect(() => parseKindArgs(["get", "clusters", "--foo"])).toThrow("unknown flag: --foo");
    });

    it("reads --wait as Go durations", () => {
        expect(parseGoDuration("5m")).toBe(300_000);
        expect(parseGoDuration("1m30s")).toBe(90_000);
        expect(parseGoDuration("1.5h")).toBe(5_400_000);
        expect(parseGoDuration("250ms")).toBe(250);
        expect(parseGoDuration("0")).toBe(0);
        for (const bad of ["", "5", "5 m", "m", "5x", "-1s"]) expect(() => parseGoDuration(bad), bad).toThrow(StandinUsageError);
    });

    it("docker: exactly `exec <container> cat <path>`", () => {
        expect(parseDockerArgs(["exec", "c-control-plane", "cat", AUDIT_LOG_PATH])).toEqual({ container: "c-control-plane", path: AUDIT_LOG_PATH });
        for (const args of [["ps"], ["exec", "-it", "c", "cat", "/x"], ["exec", "c", "tail", "/x"], ["exec", "c", "cat"], ["exec", "c", "cat", "/x", "/y"]]) {
            expect(() => parseDockerArgs(args), args.join(" ")).toThrow(StandinUsageError);
        }
    });
});

describe("kind stand-in: the kind config decides where the API server's audit files are", () => {
    const workDir = "/home/u/.local/state/kuberay-pod-security/kind/kuberay-dev";
    const nodeRoot = "/state/kuberay-dev/node-root";

    it("the program's own config: the policy through the node's extraMounts, the log in the node's filesystem", () => {
        const { KIND_CONFIG_YAML, AUDIT_POLICY_FILE } = kindCommandEnvironment({ clusterName: "kuberay-dev", nodeImage: "kindest/node:v1.37.0", workDir, auditNamespace: "pod-security", owner: "kuberay-pod-security/dev" });
        const plan = planNode(KIND_CONFIG_YAML, nodeRoot, "/elsewhere");
        expect(plan.audit).toEqual({
            policyFlag: AUDIT_POLICY_PATH,
            logFlag: AUDIT_LOG_PATH,
            policyFile: AUDIT_POLICY_FILE,
            logFile: path.join(nodeRoot, AUDIT_LOG_PATH),
        });
        expect(AUDIT_POLICY_FILE).toBe(`${workDir}/audit-policy.yaml`);
    });

    it("the tutorial's config: a relative extraMounts hostPath is relative to where kind runs", () => {
        const plan = planNode(fs.readFileSync(testDataPath("kuberay-v1.3.2/kind-config.yaml"), "utf8"), nodeRoot, "/src/kuberay");
        expect(plan.audit.policyFile).toBe("/src/kuberay/ray-operator/config/security/audit-policy.yaml");
        expect(plan.audit.logFile).toBe(path.join(nodeRoot, "/var/log/kubernetes/kube-apiserver-audit.log"));
    });

    /** The program's config with `edit` applied to its control-plane node and its (one) patch. */
    function edited(edit: (node: any, patch: any) => void): string {
        const config = buildKindConfig("/host/audit-policy.yaml") as any;
        const patch = parse(config.nodes[0].kubeadmConfigPatches[0]);
        edit(config.nodes[0], patch);
        if (config.nodes[0].kubeadmConfigPatches) config.nodes[0].kubeadmConfigPatches = [stringify(patch)];
        return stringify(config);
    }

    it("honours other paths: the flags, the volumes and the mounts are read, not assumed", () => {
        const text = edited((node, patch) => {
            patch.apiServer.extraArgs = { "audit-policy-file": "/pod/policy/p.yaml", "audit-log-path": "/pod/logs/audit.log" };
            patch.apiServer.extraVolumes = [
                { name: "p", hostPath: "/node/policy", mountPath: "/pod/policy" },
                { name: "l", hostPath: "/node/logs", mountPath: "/pod/logs" },
            ];
            node.extraMounts = [
                { hostPath: "/host/policies", containerPath: "/node/policy" },
                { hostPath: "/host/logs", containerPath: "/node/logs/" },
            ];
        });
        expect(planNode(text, nodeRoot, "/").audit).toMatchObject({ policyFile: "/host/policies/p.yaml", logFile: "/host/logs/audit.log" });
    });

    it("takes kubeadm v1beta4's list-form extraArgs, and skips a patch for another kubeadm version (kind does)", () => {
        const v1beta4 = edited((_, patch) => {
            patch.apiVersion = "kubeadm.k8s.io/v1beta4";
            patch.apiServer.extraArgs = Object.entries(patch.apiServer.extraArgs).map(([name, value]) => ({ name, value }));
        });
        expect(planNode(v1beta4, nodeRoot, "/").audit.policyFile).toBe("/host/audit-policy.yaml");
        const v1beta3 = edited((_, patch) => (patch.apiVersion = "kubeadm.k8s.io/v1beta3"));
        expect(() => planNode(v1beta3, nodeRoot, "/")).toThrow(/set no apiServer.extraArgs audit-policy-file and audit-log-path/);
    });

    it("refuses a config whose API server could not start: the policy not mounted into the node, or not into its Pod", () => {
        expect(() => planNode(edited((node) => delete node.extraMounts), nodeRoot, "/")).toThrow(
            `audit-policy-file ${AUDIT_POLICY_PATH} (node path ${AUDIT_POLICY_PATH}) is not in any extraMounts containerPath`,
        );
        expect(() => planNode(edited((_, patch) => delete patch.apiServer.extraVolumes), nodeRoot, "/")).toThrow(
            `audit-policy-file ${AUDIT_POLICY_PATH} is not in any apiServer.extraVolumes mountPath`,
        );
        expect(() => planNode(edited((_, patch) => (patch.apiServer.extraVolumes = patch.apiServer.extraVolumes.slice(0, 1))), nodeRoot, "/")).toThrow(
            `audit-log-path ${AUDIT_LOG_PATH} is not in any apiServer.extraVolumes mountPath`,
        );
        expect(() => planNode(edited((node) => delete node.kubeadmConfigPatches), nodeRoot, "/")).toThrow(/set no apiServer.extraArgs/);
    });

    it("refuses what it cannot run: other kinds of object, workers, JSON 6902 patches, YAML it cannot read", () => {
        expect(() => planNode("kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha3\n", nodeRoot, "/")).toThrow(/v1alpha4 Cluster/);
        expect(() => planNode(edited((node) => (node.role = "worker")), nodeRoot, "/")).toThrow(/exactly one control-plane node/);
        const twoNodes = parse(edited(() => undefined));
        twoNodes.nodes.push({ role: "worker" });
        expect(() => planNode(stringify(twoNodes), nodeRoot, "/")).toThrow(/exactly one control-plane node/);
        expect(() => planNode(edited((node) => (node.kubeadmConfigPatchesJSON6902 = [])), nodeRoot, "/")).toThrow(/JSON6902/);
        expect(() => planNode("kind: [", nodeRoot, "/")).toThrow(/not valid YAML/);
    });

    it("maps a node path like the node sees it: the closest mount, else the node's own filesystem", () => {
        const layout = { nodeRoot, nodeMounts: [{ inside: "/etc/p/a.yaml", outside: "/h/a.yaml" }, { inside: "/data", outside: "/h/data" }, { inside: "/data/deep", outside: "/h/deep" }] };
        expect(nodePathOnMachine("/etc/p/a.yaml", layout)).toBe("/h/a.yaml");
        expect(nodePathOnMachine("/etc/p/a.yaml.bak", layout)).toBe(`${nodeRoot}/etc/p/a.yaml.bak`);
        expect(nodePathOnMachine("/data/x/y", layout)).toBe("/h/data/x/y");
        expect(nodePathOnMachine("/data/deep/z", layout)).toBe("/h/deep/z");
        expect(nodePathOnMachine("/var/../../etc/passwd", layout)).toBe(`${nodeRoot}/etc/passwd`);
        expect(() => nodePathOnMachine("relative", layout)).toThrow(/not an absolute path/);
        expect(throughMounts("/datax", layout.nodeMounts)).toBeUndefined();
    });

    it("the operator watches the namespaces the audit policy names", () => {
        expect(policyNamespaces(stringify(buildAuditPolicy("pod-security")))).toEqual(["pod-security"]);
        expect(() => policyNamespaces(stringify({ ...buildAuditPolicy("x"), rules: [{ level: "Metadata" }] }))).toThrow(/names no namespace/);
        expect(() => policyNamespaces("kind: Cluster\n")).toThrow(/not an audit.k8s.io Policy/);
    });
});

describe("kind stand-in: kubeconfig", () => {
    const pki = { caCert: "CA", adminCert: "CERT", adminKey: "KEY" } as Pki;
    const admin = adminKubeconfig("https://127.0.0.1:34567", pki);

    it("is the harness's admin kubeconfig under kind's names, kind-<cluster>", () => {
        const text = kindKubeconfig(admin, "kuberay-dev");
        const config = parse(text);
        expect(config).toMatchObject({
            apiVersion: "v1",
            kind: "Config",
            "current-context": "kind-kuberay-dev",
            clusters: [{ name: "kind-kuberay-dev", cluster: { server: "https://127.0.0.1:34567", "certificate-authority-data": Buffer.from("CA").toString("base64") } }],
            users: [{ name: "kind-kuberay-dev", user: { "client-certificate-data": Buffer.from("CERT").toString("base64"), "client-key-data": Buffer.from("KEY").toString("base64") } }],
            contexts: [{ name: "kind-kuberay-dev", context: { cluster: "kind-kuberay-dev", user: "kind-kuberay-dev" } }],
        });
        const kubeConfig = new k8s.KubeConfig();
        kubeConfig.loadFromString(text);
        kubeConfig.setCurrentContext("kind-kuberay-dev");
        expect(kubeConfig.getCurrentCluster()?.server).toBe("https://127.0.0.1:34567");
    });

    it("refuses a kubeconfig it could not rename unambiguously", () => {
        const two = JSON.parse(admin);
        two.clusters.push({ ...two.clusters[0], name: "other" });
        expect(() => kindKubeconfig(JSON.stringify(two), "c")).toThrow(/one cluster and one user/);
    });
});

describe("kind stand-in: commands with no cluster to start", () => {
    let root: string;
    let out: string;
    let err: string;
    const io = { stdout: (text: string) => (out += text), stderr: (text: string) => (err += text) };

    beforeEach(() => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), "krps-kind-standin-unit-"));
        out = err = "";
    });
    afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

    it("get clusters: kind's message on stderr, nothing on stdout, when there is none; names one per line, sorted, otherwise", async () => {
        await runKind(root, { command: "get clusters" }, io);
        expect([out, err]).toEqual(["", "No kind clusters found.\n"]);
        fs.mkdirSync(path.join(root, "b"));
        fs.mkdirSync(path.join(root, "a"));
        fs.writeFileSync(path.join(root, "events.log"), "");
        err = "";
        await runKind(root, { command: "get clusters" }, io);
        expect([out, err]).toEqual(["a\nb\n", ""]);
    });

    it("delete cluster of a cluster that is not there succeeds, as kind's does", async () => {
        await runKind(root, { command: "delete cluster", name: "gone" }, io);
        expect(err).toBe('Deleting cluster "gone" ...\n');
    });

    it("get kubeconfig of a cluster that is not there fails with kind's message", async () => {
        await expect(runKind(root, { command: "get kubeconfig", name: "gone" }, io)).rejects.toThrow("could not locate any control plane nodes for cluster named 'gone'");
    });

    it("create cluster fails before starting anything when the config's policy is not mounted or not there", async () => {
        const config = path.join(root, "kind-config.yaml");
        fs.writeFileSync(config, stringify(buildKindConfig(path.join(root, "missing-policy.yaml"))));
        const create = { command: "create cluster" as const, name: "c", config };
        await expect(runKind(root, create, io)).rejects.toThrow(/failed to create cluster: .*missing-policy.yaml, which cannot be read/);
        const unmounted = buildKindConfig("/x") as any;
        delete unmounted.nodes[0].extraMounts;
        fs.writeFileSync(config, stringify(unmounted));
        await expect(runKind(root, create, io)).rejects.toThrow(KindError);
        await expect(runKind(root, { command: "create cluster", name: "c" }, io)).rejects.toThrow(/needs --config/);
        expect(fs.readdirSync(root)).toEqual(["kind-config.yaml"]);
    });

    it("needs $KIND_STANDIN_STATE, an absolute path", () => {
        expect(() => stateRoot({})).toThrow("KIND_STANDIN_STATE is not set");
        expect(() => stateRoot({ KIND_STANDIN_STATE: "relative" })).toThrow("must be an absolute path");
        expect(stateRoot({ KIND_STANDIN_STATE: root })).toBe(root);
    });

    it("the bash wrappers run from any directory, and fail as kind and docker do", () => {
        const env = { ...process.env, KIND_STANDIN_STATE: root };
        const run = (tool: string, args: string[], extra: NodeJS.ProcessEnv = env) => spawnSync(path.join(BIN, tool), args, { cwd: os.tmpdir(), env: extra, encoding: "utf8" });
        expect(run("kind", ["get", "clusters"])).toMatchObject({ status: 0, stdout: "", stderr: "No kind clusters found.\n" });
        expect(run("kind", ["get", "clusters"], { ...process.env, KIND_STANDIN_STATE: "" })).toMatchObject({ status: 1, stderr: expect.stringMatching(/^ERROR: KIND_STANDIN_STATE is not set/) });
        expect(run("kind", ["version"])).toMatchObject({ status: 1, stderr: expect.stringMatching(/^ERROR: unknown command "version"/) });
        expect(run("docker", ["exec", "c-control-plane", "cat", "/x"])).toMatchObject({ status: 1, stderr: "Error response from daemon: No such container: c-control-plane\n" });
        expect(run("docker", ["ps"])).toMatchObject({ status: 1, stderr: expect.stringContaining("implements only `docker exec <cluster>-control-plane cat <path>`") });
        for (const tool of ["kind", "docker"]) expect(fs.statSync(path.join(BIN, tool)).mode & 0o111, tool).toBe(0o111);
    });
});
