import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { CREATE_SCRIPT, DELETE_SCRIPT, kindCommandEnvironment } from "../components/kind/commands";
import { AUDIT_LOG_PATH, AUDIT_POLICY_PATH, auditLogCommand, buildAuditPolicy, kindWorkDir } from "../components/kind/kindConfig";
import { shellQuote } from "../components/shell";
import { testDataPath } from "./helpers/testData";

describe("audit policy", () => {
    it("logs Pod requests of the namespace at Metadata level, without the RequestReceived stage", () => {
        const policy = parse(stringify(buildAuditPolicy("team-ray")));
        expect(policy).toEqual({
            apiVersion: "audit.k8s.io/v1",
            kind: "Policy",
            omitStages: ["RequestReceived"],
            rules: [{ level: "Metadata", resources: [{ group: "", resources: ["pods"] }], namespaces: ["team-ray"] }],
        });
    });

    it("is the tutorial's policy for the tutorial's namespace", () => {
        const tutorial = parse(fs.readFileSync(testDataPath("kuberay-v1.3.2/audit-policy.yaml"), "utf8"));
        expect(buildAuditPolicy("pod-security")).toEqual(tutorial);
    });
});

describe("kind config", () => {
    const config = parse(kindCommandEnvironment({ clusterName: "c", nodeImage: "kindest/node:v1.37.0", workDir: "/state/dev", auditNamespace: "ns", owner: "p/dev" }).KIND_CONFIG_YAML);
    const controlPlane = config.nodes[0];
    const patch = parse(controlPlane.kubeadmConfigPatches[0]);

    it("has one control-plane node of a v1alpha4 Cluster", () => {
        expect(config.kind).toBe("Cluster");
        expect(config.apiVersion).toBe("kind.x-k8s.io/v1alpha4");
        expect(config.nodes.map((n: { role: string }) => n.role)).toEqual(["control-plane"]);
    });

    it("patches the API server's flags for auditing, without apiVersion so v1beta3 and v1beta4 both take it", () => {
        expect(patch.kind).toBe("ClusterConfiguration");
        expect(patch).not.toHaveProperty("apiVersion");
        expect(patch.apiServer.extraArgs).toEqual({ "audit-log-path": AUDIT_LOG_PATH, "audit-policy-file": AUDIT_POLICY_PATH });
    });

    it("mounts the policy and log directories into the API server and the policy file into the node", () => {
        const volumes = patch.apiServer.extraVolumes;
        expect(volumes).toContainEqual(expect.objectContaining({ hostPath: path.dirname(AUDIT_POLICY_PATH), mountPath: path.dirname(AUDIT_POLICY_PATH), readOnly: true }));
        expect(volumes).toContainEqual(expect.objectContaining({ hostPath: path.dirname(AUDIT_LOG_PATH), mountPath: path.dirname(AUDIT_LOG_PATH), readOnly: false }));
        expect(controlPlane.extraMounts).toEqual([{ hostPath: "/state/dev/audit-policy.yaml", containerPath: AUDIT_POLICY_PATH, readOnly: true }]);
    });

    it("keeps the tutorial's structure", () => {
        const tutorial = parse(fs.readFileSync(testDataPath("kuberay-v1.3.2/kind-config.yaml"), "utf8"));
        const tutorialPatch = parse(tutorial.nodes[0].kubeadmConfigPatches[0]);
        expect(patch.apiServer.extraArgs).toEqual(tutorialPatch.apiServer.extraArgs);
        expect(patch.apiServer.extraVolumes.map((v: { name: string }) => v.name)).toEqual(tutorialPatch.apiServer.extraVolumes.map((v: { name: string }) => v.name));
        expect(controlPlane.extraMounts[0].containerPath).toBe(tutorial.nodes[0].extraMounts[0].containerPath);
    });

    it("prints the audit log from the control-plane container", () => {
        expect(auditLogCommand("kuberay-dev")).toBe("docker exec kuberay-dev-control-plane cat /var/log/kubernetes/kube-apiserver-audit.log");
    });
});

/**
 * Runs the real create/delete scripts against a fake `kind` on PATH that keeps its clusters in a file and
 * logs its calls: the scripts' idempotence is checked for real, without Docker.
 */
describe("kind create/delete scripts", () => {
    function sandbox(existing: string[], clusterName = "kuberay-dev") {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fake-kind-"));
        const bin = path.join(dir, "bin");
        fs.mkdirSync(bin);
        fs.writeFileSync(path.join(dir, "clusters"), existing.map((c) => `${c}\n`).join(""));
        fs.writeFileSync(
            path.join(bin, "kind"),
            `#!/bin/sh
echo "$*" >> "${dir}/calls"
case "$1 $2" in
  "get clusters") if [ -n "\${FAKE_DOCKER_DOWN:-}" ]; then echo "ERROR: failed to list clusters: command \"docker ps\" failed" >&2; exit 1; fi
                  if [ -s "${dir}/clusters" ]; then cat "${dir}/clusters"; else echo "No kind clusters found." >&2; fi ;;
  "create cluster") if [ -n "\${FAKE_KIND_FAIL:-}" ]; then echo "ERROR: failed to create cluster" >&2; exit 1; fi
                    echo "$4" >> "${dir}/clusters"; echo "Creating cluster $4" >&2 ;;
  "delete cluster") grep -vx "$4" "${dir}/clusters" > "${dir}/clusters.new" || true; mv "${dir}/clusters.new" "${dir}/clusters" ;;
  "get kubeconfig") echo "kubeconfig-of-$4" ;;
esac
`,
            { mode: 0o755 },
        );
        const environmentFor = (change: { nodeImage?: string; owner?: string } = {}) =>
            kindCommandEnvironment({
                clusterName,
                nodeImage: change.nodeImage ?? "kindest/node:v1.37.0",
                workDir: path.join(dir, "state", "dev"),
                auditNamespace: "pod-security",
                owner: change.owner ?? "kuberay-pod-security/dev",
            });
        const environment = environmentFor();
        const runScript = (script: string, env = environment) =>
            spawnSync("/bin/sh", ["-c", script], { env: { ...process.env, ...env, PATH: `${bin}:${process.env.PATH}` }, encoding: "utf8" });
        const calls = () => (fs.existsSync(path.join(dir, "calls")) ? fs.readFileSync(path.join(dir, "calls"), "utf8").trim().split("\n") : []);
        const clusters = () => fs.readFileSync(path.join(dir, "clusters"), "utf8").split("\n").filter(Boolean);
        return { environment, environmentFor, runScript, calls, clusters };
    }

    it("creates the cluster with name, image and generated config, and prints only the kubeconfig", () => {
        const { environment, runScript, calls, clusters } = sandbox([]);
        const result = runScript(CREATE_SCRIPT);
        expect(result.status).toBe(0);
        expect(result.stdout).toBe("kubeconfig-of-kuberay-dev\n");
        expect(calls()).toContain(`create cluster --name kuberay-dev --image kindest/node:v1.37.0 --config ${environment.KIND_CONFIG_FILE} --wait 5m`);
        expect(clusters()).toEqual(["kuberay-dev"]);
        expect(fs.readFileSync(environment.KIND_CONFIG_FILE, "utf8")).toBe(environment.KIND_CONFIG_YAML);
        expect(parse(fs.readFileSync(environment.AUDIT_POLICY_FILE, "utf8")).rules[0].namespaces).toEqual(["pod-security"]);
    });

    it("records which stack made the cluster from which definition; any change of the cluster changes the definition", () => {
        const { environment, environmentFor, runScript } = sandbox([]);
        runScript(CREATE_SCRIPT);
        expect(fs.readFileSync(environment.KIND_OWNER_FILE, "utf8")).toBe(`kuberay-pod-security/dev ${environment.KIND_DEFINITION}\n`);
        expect(environment.KIND_DEFINITION).toMatch(/^[0-9a-f]{16}$/);
        expect(environmentFor().KIND_DEFINITION).toBe(environment.KIND_DEFINITION);
        expect(environmentFor({ nodeImage: "kindest/node:v1.36.4" }).KIND_DEFINITION).not.toBe(environment.KIND_DEFINITION);
        expect(environmentFor({ owner: "kuberay-pod-security/other" }).KIND_DEFINITION).toBe(environment.KIND_DEFINITION);
    });

    it("replaces the stack's cluster of another definition: the new create deletes it first, the old delete then leaves the new one", () => {
        const { environment: old, environmentFor, runScript, calls, clusters } = sandbox([]);
        runScript(CREATE_SCRIPT, old);
        const replacement = environmentFor({ nodeImage: "kindest/node:v1.36.4" });
        // Pulumi creates the replacement first (no deleteBeforeReplace), then deletes the original.
        const created = runScript(CREATE_SCRIPT, replacement);
        expect(created.status).toBe(0);
        expect(created.stderr).toContain("kind cluster kuberay-dev has another definition: deleting it to create it anew");
        expect(created.stdout).toBe("kubeconfig-of-kuberay-dev\n");
        const deleted = runScript(DELETE_SCRIPT, old);
        expect(deleted.status).toBe(0);
        expect(deleted.stderr).toContain("has been made anew from another definition: leaving it and its files");
        expect(calls().filter((call) => /^(create|delete) cluster/.test(call))).toEqual([
            expect.stringMatching(/^create cluster --name kuberay-dev --image kindest\/node:v1\.37\.0 /),
            "delete cluster --name kuberay-dev",
            expect.stringMatching(/^create cluster --name kuberay-dev --image kindest\/node:v1\.36\.4 /),
        ]);
        expect(clusters()).toEqual(["kuberay-dev"]);
        expect(fs.readFileSync(replacement.KIND_OWNER_FILE, "utf8")).toBe(`kuberay-pod-security/dev ${replacement.KIND_DEFINITION}\n`);
        expect(fs.existsSync(replacement.AUDIT_POLICY_FILE)).toBe(true);
        // The replacement's own delete (destroy) removes it all.
        expect(runScript(DELETE_SCRIPT, replacement).status).toBe(0);
        expect(clusters()).toEqual([]);
        expect(fs.existsSync(replacement.KIND_WORK_DIR)).toBe(false);
    });

    it("refuses a cluster of that name another stack made, touching nothing", () => {
        const { environmentFor, runScript, calls, clusters } = sandbox([]);
        runScript(CREATE_SCRIPT, environmentFor({ owner: "kuberay-pod-security/other" }));
        const result = runScript(CREATE_SCRIPT);
        expect(result.status).not.toBe(0);
        expect(result.stderr).toContain("kind cluster kuberay-dev belongs to kuberay-pod-security/other, not to kuberay-pod-security/dev: give this stack another cluster.name");
        expect(result.stdout).toBe("");
        expect(calls().filter((call) => /^(create|delete) cluster/.test(call))).toHaveLength(1);
        expect(clusters()).toEqual(["kuberay-dev"]);
    });

    it("reuses the cluster it made from the same definition instead of failing (a create run again)", () => {
        const { runScript, calls } = sandbox(["other"]);
        runScript(CREATE_SCRIPT);
        const result = runScript(CREATE_SCRIPT);
        expect(result.status).toBe(0);
        expect(result.stderr).toContain("already exists: reusing it");
        expect(calls().filter((call) => call.startsWith("create"))).toHaveLength(1);
        expect(result.stdout).toBe("kubeconfig-of-kuberay-dev\n");
    });

    it("refuses a cluster of that name it has no record of making (by hand, or with its files elsewhere), touching nothing", () => {
        const { environment, runScript, calls, clusters } = sandbox(["other", "kuberay-dev"]);
        const result = runScript(CREATE_SCRIPT);
        expect(result.status).not.toBe(0);
        expect(result.stderr).toContain(
            `kind cluster kuberay-dev exists, but ${environment.KIND_OWNER_FILE} does not say kuberay-pod-security/dev made it: delete it (kind delete cluster --name kuberay-dev) or give this stack another cluster.name`,
        );
        expect(result.stdout).toBe("");
        expect(calls().filter((call) => /^(create|delete) cluster/.test(call))).toEqual([]);
        expect(clusters()).toEqual(["other", "kuberay-dev"]);
        expect(fs.existsSync(environment.KIND_WORK_DIR)).toBe(false);
    });

    it("deletes the cluster and the generated files", () => {
        const { environment, runScript, clusters } = sandbox([]);
        runScript(CREATE_SCRIPT);
        const result = runScript(DELETE_SCRIPT);
        expect(result.status).toBe(0);
        expect(clusters()).toEqual([]);
        expect(fs.existsSync(environment.KIND_WORK_DIR)).toBe(false);
    });

    it("succeeds when the cluster is already gone", () => {
        const { runScript, calls } = sandbox(["other"]);
        const result = runScript(DELETE_SCRIPT);
        expect(result.status).toBe(0);
        expect(result.stderr).toContain("already gone");
        expect(calls().some((call) => call.startsWith("delete"))).toBe(false);
    });

    it("fails delete, keeping the cluster and its files, when kind cannot list clusters (Docker down)", () => {
        const { environment, runScript, clusters } = sandbox([]);
        runScript(CREATE_SCRIPT);
        process.env.FAKE_DOCKER_DOWN = "1";
        try {
            const result = runScript(DELETE_SCRIPT);
            expect(result.status).not.toBe(0);
            expect(result.stderr).toContain("failed to list clusters");
            expect(result.stderr).not.toContain("already gone");
        } finally {
            delete process.env.FAKE_DOCKER_DOWN;
        }
        expect(clusters()).toEqual(["kuberay-dev"]);
        expect(fs.existsSync(environment.AUDIT_POLICY_FILE)).toBe(true);
    });

    it("matches the cluster name as a fixed string: a '.' is not a wildcard", () => {
        const { runScript, calls } = sandbox(["kuberayXdev"], "kuberay.dev");
        const result = runScript(CREATE_SCRIPT);
        expect(result.status).toBe(0);
        expect(calls().filter((call) => call.startsWith("create"))).toEqual([expect.stringMatching(/^create cluster --name kuberay\.dev /)]);
    });

    it("fails the run, printing no kubeconfig, when kind fails to create", () => {
        const { runScript, calls } = sandbox([]);
        process.env.FAKE_KIND_FAIL = "1";
        try {
            const result = runScript(CREATE_SCRIPT);
            expect(result.status).not.toBe(0);
            expect(result.stderr).toContain("failed to create cluster");
            expect(result.stdout).toBe("");
            expect(calls().some((call) => call.startsWith("get kubeconfig"))).toBe(false);
        } finally {
            delete process.env.FAKE_KIND_FAIL;
        }
    });
});

describe("kindWorkDir and shellQuote", () => {
    it("keeps a cluster's files in the user's state directory, per cluster, whatever the checkout", () => {
        expect(kindWorkDir("kuberay-dev", { home: "/home/ada" })).toBe("/home/ada/.local/state/kuberay-pod-security/kind/kuberay-dev");
        expect(kindWorkDir("kuberay-dev", { home: "/home/ada", xdgStateHome: "/var/state" })).toBe("/var/state/kuberay-pod-security/kind/kuberay-dev");
        expect(kindWorkDir("kuberay-dev", { home: "/home/ada", xdgStateHome: "relative" })).toBe("/home/ada/.local/state/kuberay-pod-security/kind/kuberay-dev");
    });

    it("quotes only what a shell would split or expand", () => {
        expect(shellQuote("/home/ada/.kube/config")).toBe("/home/ada/.kube/config");
        expect(shellQuote("/home/ada/My Configs/kube")).toBe("'/home/ada/My Configs/kube'");
        expect(spawnSync("/bin/sh", ["-c", `printf %s ${shellQuote("it's $HOME")}`], { encoding: "utf8" }).stdout).toBe("it's $HOME");
    });
});
