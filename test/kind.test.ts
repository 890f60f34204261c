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
    const config = parse(kindCommandEnvironment({ clusterName: "c", nodeImage: "kindest/node:v1.37.0", workDir: "/state/dev", auditNamespace: "ns" }).KIND_CONFIG_YAML);
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
        const environment = kindCommandEnvironment({ clusterName, nodeImage: "kindest/node:v1.37.0", workDir: path.join(dir, "state", "dev"), auditNamespace: "pod-security" });
        const runScript = (script: string) =>
            spawnSync("/bin/sh", ["-c", script], { env: { ...process.env, ...environment, PATH: `${bin}:${process.env.PATH}` }, encoding: "utf8" });
        const calls = () => (fs.existsSync(path.join(dir, "calls")) ? fs.readFileSync(path.join(dir, "calls"), "utf8").trim().split("\n") : []);
        const clusters = () => fs.readFileSync(path.join(dir, "clusters"), "utf8").split("\n").filter(Boolean);
        return { environment, runScript, calls, clusters };
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

    it("reuses a cluster of that name instead of failing", () => {
        const { runScript, calls } = sandbox(["other", "kuberay-dev"]);
        const result = runScript(CREATE_SCRIPT);
        expect(result.status).toBe(0);
        expect(result.stderr).toContain("already exists: reusing it");
        expect(calls().some((call) => call.startsWith("create"))).toBe(false);
        expect(result.stdout).toBe("kubeconfig-of-kuberay-dev\n");
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
