/**
 * JUnit XML from the checker (`--format junit`: a test case per object) and from verify (`--junit FILE`: a
 * test case per check), read back by a real XML parser as CI tools read it.
 */

import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { XMLParser } from "fast-xml-parser";
import { afterEach, describe, expect, it } from "vitest";
import { junitXml } from "../lib/junit";
import { FakeDeployment, healthyDeployment, step51Deployment } from "./helpers/verifyFakes";
import { cli, depsFor, neverCalled } from "./helpers/verifyCli";
import { runPss, tempManifest } from "./helpers/pssCli";
import { PROJECT_DIR } from "./support/paths";

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "", isArray: (name) => name === "testcase" });

/** The one suite of a JUnit document, as a CI tool reads it. */
function suiteOf(xml: string): any {
    const document = parser.parse(xml);
    expect(document.testsuites.testsuite).toBeDefined();
    return document.testsuites.testsuite;
}

describe("JUnit XML", () => {
    it("escapes what XML must escape, and drops what it cannot carry", () => {
        const xml = junitXml({ name: 'a <b> & "c"', cases: [{ classname: "x", name: "bell\u0007", failure: { message: "<m>", text: "1 < 2 & 3\nline 2" } }] });
        const suite = suiteOf(xml);
        expect(suite.name).toBe('a <b> & "c"');
        expect(suite.testcase[0].name).toBe("bell\uFFFD");
        expect(suite.testcase[0].failure).toEqual({ message: "<m>", type: "failure", "#text": "1 < 2 & 3\nline 2" });
    });
});

describe("pss --format junit", () => {
    it("has a test case per object: failed with the API server's words for each refused Pod, skipped when it carries none", () => {
        const { dir } = tempManifest("mixed.yaml", `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n`);
        fs.copyFileSync(path.join(PROJECT_DIR, "test/data/kuberay-v1.3.2/ray-cluster.complete.yaml"), path.join(dir, "step51.yaml"));
        fs.copyFileSync(path.join(PROJECT_DIR, "test/data/kuberay-v1.3.2/ray-cluster.pod-security.yaml"), path.join(dir, "hardened.yaml"));
        const run = runPss(["--format", "junit", "--allow-empty", "mixed.yaml", "step51.yaml", "hardened.yaml"], { cwd: dir });
        expect(run.code).toBe(1);
        const suite = suiteOf(run.stdout);
        // hardened.yaml holds the example's ConfigMap too: skipped, as the first file's.
        expect(suite).toMatchObject({ name: "Pod Security restricted:latest", tests: "4", failures: "1", skipped: "2", errors: "0" });
        const [configMap, step51, hardened, example] = suite.testcase;
        // One class with no dot (Jenkins splits a class name at its last dot); the level in every case's name.
        expect(configMap).toMatchObject({ classname: "kuberay-pss", name: "mixed.yaml#0 ConfigMap/c at restricted:latest", skipped: { message: "ConfigMap does not carry a Pod" } });
        expect(step51).toMatchObject({ classname: "kuberay-pss", name: "step51.yaml#0 RayCluster/raycluster-complete at restricted:latest", file: "step51.yaml" });
        expect(step51.failure.message).toBe('violates PodSecurity "restricted:latest"');
        expect(step51.failure["#text"].split("\n")).toEqual([
            expect.stringMatching(/^RayCluster "raycluster-complete" head Pod: violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false/),
            expect.stringMatching(/^RayCluster "raycluster-complete" worker\/small-group Pod: violates PodSecurity "restricted:latest": /),
        ]);
        // The document's first line that is not a comment.
        expect(hardened).toEqual({ classname: "kuberay-pss", name: "hardened.yaml#0 RayCluster/raycluster-pod-security at restricted:latest", file: "hardened.yaml", line: "5" });
        expect(example).toMatchObject({ name: "hardened.yaml#1 ConfigMap/ray-example at restricted:latest", skipped: { message: "ConfigMap does not carry a Pod" } });
        // Another level, another case name: two runs' reports can be published together.
        const baseline = suiteOf(runPss(["--format", "junit", "--level", "baseline", "step51.yaml"], { cwd: dir }).stdout);
        expect(baseline.testcase[0]).toMatchObject({ name: "step51.yaml#0 RayCluster/raycluster-complete at baseline:latest" });
        expect(baseline.testcase[0].failure).toBeUndefined();
    });

    it("reports bad input as a failed case, still XML, with exit 2", () => {
        const { dir } = tempManifest("broken.yaml", "kind: Pod\nspec: [\n");
        const run = runPss(["--format", "junit", "broken.yaml"], { cwd: dir });
        expect(run.code).toBe(2);
        const suite = suiteOf(run.stdout);
        expect(suite).toMatchObject({ tests: "1", failures: "1" });
        expect(suite.testcase[0]).toMatchObject({ classname: "kuberay-pss", name: "input", failure: { message: "bad input" } });
        expect(suite.testcase[0].failure["#text"]).toMatch(/^broken\.yaml: .*invalid YAML/);
    });
});

describe("verify --junit FILE", () => {
    let deployment: FakeDeployment | undefined;
    const dir = () => fs.mkdtempSync(path.join(os.tmpdir(), "verify-junit-"));
    afterEach(async () => {
        await deployment?.close();
        deployment = undefined;
    });

    it("writes a test case per check of a healthy deployment, all passed", async () => {
        deployment = await healthyDeployment();
        const file = path.join(dir(), "verify.xml");
        const { code } = await cli(["--junit", file], depsFor(deployment));
        expect(code).toBe(0);
        const suite = suiteOf(fs.readFileSync(file, "utf8"));
        expect(suite).toMatchObject({ tests: "5", failures: "0", skipped: "0" });
        expect(suite.testcase.map((c: any) => c.name)).toEqual(["RayCluster ready", "Pods", "Audit log", "Example job", "pip under restricted"]);
        expect(suite.testcase.every((c: any) => c.failure === undefined && c.skipped === undefined)).toBe(true);
    });

    it("fails the checks Step 5.1 fails, in their words, and skips those it could not run", async () => {
        deployment = await step51Deployment();
        const folder = dir();
        const { code, stdout } = await cli(["--junit", path.join(folder, "report.xml"), "--json"], depsFor(deployment));
        expect(code).toBe(1);
        const json = JSON.parse(stdout);
        const xml = fs.readFileSync(path.join(folder, "report.xml"), "utf8");
        const suite = suiteOf(xml);
        const failed = json.checks.filter((c: any) => c.status === "failed");
        const skipped = json.checks.filter((c: any) => c.status === "skipped");
        expect(suite).toMatchObject({ tests: "5", failures: String(failed.length), skipped: String(skipped.length) });
        for (const check of failed) {
            const testcase = suite.testcase.find((c: any) => c.name === check.title);
            expect(testcase.failure.message).toBe(check.summary);
            expect(testcase.failure["#text"]).toBe([check.summary, ...check.details].join("\n"));
        }
        expect(failed.length).toBeGreaterThan(0);
        fs.rmSync(folder, { recursive: true });
    });

    it("refuses a file it cannot write before any check runs: exit 2, one line, nothing written", async () => {
        const folder = dir();
        for (const [file, why] of [
            [folder, "it is a directory"],
            [path.join(folder, "missing", "r.xml"), "cannot be written (no such file)"],
        ]) {
            const { code, stdout, stderr } = await cli(["--junit", file], neverCalled);
            expect({ code, stdout, stderr }).toEqual({ code: 2, stdout: "", stderr: `verify: --junit ${JSON.stringify(file)}: ${why}\n` });
        }
        expect(fs.readdirSync(folder)).toEqual([]);
    });

    it("leaves nothing half-written when the file cannot be written at the end", async () => {
        deployment = await healthyDeployment();
        const folder = dir();
        const file = path.join(folder, "gone", "r.xml");
        fs.mkdirSync(path.dirname(file));
        const deps = depsFor(deployment);
        // The folder goes away while the checks run.
        const { code, stderr } = await cli(["--junit", file], { ...deps, connect: async (...args) => (fs.rmSync(path.dirname(file), { recursive: true }), deps.connect(...args)) });
        expect(code).toBe(2);
        expect(stderr.trim().split("\n").at(-1)).toBe(`verify: --junit ${JSON.stringify(file)}: cannot be written (no such file)`);
        expect(fs.readdirSync(folder)).toEqual([]);
    });
});
