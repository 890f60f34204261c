import { spawnSync } from "child_process";
import * as fs from "fs";
import { describe, expect, it } from "vitest";
import { testDataPath } from "./support/testData";
import { PROJECT_DIR } from "./support/paths";
import { runPss, tempManifest } from "./helpers/pssCli";

const cli = (args: string[], stdin = "") => runPss(args, { stdin });

const tutorial = (name: string) => testDataPath(`kuberay-v1.3.2/${name}`);
const tmp = (name: string, content: string) => tempManifest(name, content).file;

describe("pss CLI", () => {
    it("exits 0 and prints one allowed result per Pod for the hardened cluster (JSON)", () => {
        const { code, stdout } = cli(["--json", tutorial("ray-cluster.pod-security.yaml")]);
        expect(code).toBe(0);
        const results = JSON.parse(stdout);
        expect(results).toEqual([
            { file: tutorial("ray-cluster.pod-security.yaml"), document: 0, kind: "RayCluster", name: "raycluster-pod-security", pod: "head", level: "restricted", version: "latest", allowed: true, violations: [], message: "" },
            { file: tutorial("ray-cluster.pod-security.yaml"), document: 0, kind: "RayCluster", name: "raycluster-pod-security", pod: "worker/large-group", level: "restricted", version: "latest", allowed: true, violations: [], message: "" },
        ]);
    });

    it("exits 1 and reports violations with check, reason, detail and the full message", () => {
        const { code, stdout, stderr } = cli(["--json", tutorial("ray-cluster.complete.yaml")]);
        expect(code).toBe(1);
        const [head] = JSON.parse(stdout);
        expect(Object.keys(head)).toEqual(["file", "document", "kind", "name", "pod", "level", "version", "allowed", "violations", "message"]);
        expect(head.allowed).toBe(false);
        expect(head.violations[0]).toEqual({
            check: "allowPrivilegeEscalation",
            reason: "allowPrivilegeEscalation != false",
            detail: 'container "ray-head" must set securityContext.allowPrivilegeEscalation=false',
        });
        expect(head.message).toMatch(/^violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false/);
        expect(stderr).toBe("");
    });

    it("takes level and version, and counts documents per file from 0", () => {
        const file = tmp("multi.yaml", "apiVersion: v1\nkind: Service\nmetadata: {name: s}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  securityContext: {runAsUser: 0}\n  containers: [{name: c, image: x}]\n");
        const v122 = cli(["--json", "--level", "restricted", "--version", "v1.22", file]);
        const v123 = cli(["--json", "--level=restricted", "--version=v1.23", file]);
        expect(JSON.parse(v122.stdout).map((r: any) => [r.document, r.kind, r.pod, r.version])).toEqual([[1, "Pod", "", "v1.22"]]);
        expect(JSON.parse(v123.stdout)[0].violations.map((v: any) => v.check)).toContain("runAsUser");
        expect(JSON.parse(v122.stdout)[0].violations.map((v: any) => v.check)).not.toContain("runAsUser");
        expect(v122.stderr).toBe(`pss: skipped ${file}#0 Service/s: Service does not carry a Pod\n`);
        expect(cli(["--json", "--level", "privileged", file]).code).toBe(0);
    });

    it("reads stdin for -", () => {
        const manifest = fs.readFileSync(tutorial("ray-cluster.complete.yaml"), "utf8");
        const { code, stdout } = cli(["--json", "-"], manifest);
        expect(code).toBe(1);
        expect(JSON.parse(stdout).map((r: any) => [r.file, r.pod])).toEqual([
            ["-", "head"],
            ["-", "worker/small-group"],
        ]);
    });

    it("prints a readable table with the refusal messages and a summary", () => {
        const { code, stdout } = cli([tutorial("ray-cluster.complete.yaml"), tutorial("ray-cluster.pod-security.yaml")]);
        expect(code).toBe(1);
        const lines = stdout.split("\n");
        expect(lines[0]).toMatch(/^FILE\s+DOC\s+OBJECT\s+POD\s+RESULT$/);
        expect(stdout).toMatch(/RayCluster\/raycluster-complete\s+head\s+REFUSED/);
        expect(stdout).toMatch(/RayCluster\/raycluster-pod-security\s+worker\/large-group\s+allowed/);
        expect(stdout).toContain('RayCluster/raycluster-complete (head): violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false');
        expect(stdout).toContain("4 pod(s): 2 allowed, 2 refused");
    });

    it("lists rows in document order, skipped objects in place, in the table and in JSON", () => {
        const pod = (name: string, extra = "") => `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}}\nspec:\n${extra}  containers: [{name: c, image: x}]\n`;
        const first = tmp("first.yaml", `${pod("a", "  hostPID: true\n")}---\napiVersion: v1\nkind: Service\nmetadata: {name: s}\n---\n${pod("b")}`);
        const second = tmp("second.yaml", `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n---\n${pod("d", "  hostIPC: true\n")}`);
        const table = cli(["--level", "baseline", first, second]);
        expect(table.code).toBe(1);
        const rows = table.stdout.split("\n\n")[0].split("\n").slice(1).map((row) => row.split(/\s+/).slice(0, 3).join(" "));
        expect(rows).toEqual([`${first} 0 Pod/a`, `${first} 1 Service/s`, `${first} 2 Pod/b`, `${second} 0 ConfigMap/c`, `${second} 1 Pod/d`]);
        const json = cli(["--json", "--level", "baseline", first, second]);
        expect(JSON.parse(json.stdout).map((r: { file: string; document: number; allowed: boolean }) => [r.file, r.document, r.allowed])).toEqual([
            [first, 0, false],
            [first, 2, true],
            [second, 1, false],
        ]);
        expect(json.stderr.trimEnd().split("\n").map((line) => line.split(" ")[2])).toEqual([`${first}#1`, `${second}#0`]);
    });

    it("exits 2 naming the file and line of invalid YAML", () => {
        const file = tmp("bad.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: [unclosed\n");
        const { code, stdout, stderr } = cli([file]);
        expect(code).toBe(2);
        expect(stdout).toBe("");
        expect(stderr).toMatch(new RegExp(`^pss: ${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: line \\d+, column \\d+: invalid YAML: `));
        expect(stderr).toContain("line 5");
    });

    it("exits 2 for an unreadable file, an unknown level or version, or no file", () => {
        expect(cli(["/nonexistent/x.yaml"])).toEqual({ code: 2, stdout: "", stderr: "pss: /nonexistent/x.yaml: cannot read: no such file\n" });
        expect(cli(["--level", "strict", "x"]).stderr).toBe('pss: unknown level "strict"; allowed: one of "privileged", "baseline", "restricted"\n');
        expect(cli(["--version", "1.30", "x"]).stderr).toBe('pss: invalid version "1.30"; allowed: "latest" or "v1.N" (for example "v1.30")\n');
        expect(cli(["--level", "strict", "x"]).code).toBe(2);
        expect(cli([]).code).toBe(2);
        expect(cli(["--frobnicate", "x"]).code).toBe(2);
    });

    it("runs as `npm run -s pss` with the documented exit code", () => {
        const result = spawnSync("npm", ["run", "-s", "pss", "--", "--json", tutorial("ray-cluster.complete.yaml")], { cwd: PROJECT_DIR, encoding: "utf8" });
        expect(result.status).toBe(1);
        expect(JSON.parse(result.stdout)).toHaveLength(2);
    });
});

describe("pss CLI on a malformed Ray object", () => {
    it("exits 2 naming the file, the document and what is wrong", () => {
        const file = tmp("broken.yaml", "apiVersion: ray.io/v1\nkind: RayCluster\nmetadata: {name: rc}\nspec:\n  headGroupSpec: {template: {spec: {containers: [{name: ray-head, image: x}]}}}\n  workerGroupSpecs: [{groupName: g}]\n");
        expect(cli([file])).toEqual({ code: 2, stdout: "", stderr: `pss: ${file}: document 0: RayCluster/rc: spec.workerGroupSpecs[0].template.spec.containers is missing or empty\n` });
    });
});
