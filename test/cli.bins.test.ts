/**
 * The two commands as a user runs them: package.json's bin files, executed from a folder outside the project
 * (each built into its bundle on first use); the documented `npx` forms, whose stdout is JSON alone; and
 * `npm run` from another folder, whose relative paths are the user's.
 */

import { spawnSync, SpawnSyncOptions } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { admittedPodCreate, NAMESPACE, refusedPodCreate, toLines } from "./helpers/verifyAuditEvents";
import { PROJECT_DIR } from "./support/paths";

const PACKAGE = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "package.json"), "utf8"));
const BINS: Record<string, string> = PACKAGE.bin;

const REFUSED_POD = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {hostPID: true, containers: [{name: c, image: x}]}\n";
const LOG = toLines([refusedPodCreate("raycluster-complete-head-x7k2p"), admittedPodCreate()]);

/** A folder outside the project holding a manifest and an audit log, named relative to it. */
function userFolder(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kuberay-user-"));
    fs.mkdirSync(path.join(dir, "k8s"));
    fs.writeFileSync(path.join(dir, "k8s", "pod.yaml"), REFUSED_POD);
    fs.writeFileSync(path.join(dir, "audit.log"), LOG);
    return dir;
}

/** The environment without npm's variables, as in a shell; `extra` on top. */
function shellEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(npm_|INIT_CWD$)/i.test(name)));
    return { ...env, ...extra };
}

const run = (command: string, args: string[], options: SpawnSyncOptions & { cwd: string }) => spawnSync(command, args, { encoding: "utf8", timeout: 60_000, ...options }) as { status: number | null; stdout: string; stderr: string };

describe("package.json's bin entries", () => {
    it("name kuberay-pss and kuberay-verify, executable files with a node shebang", () => {
        expect(Object.keys(BINS).sort()).toEqual(["kuberay-pss", "kuberay-verify"]);
        for (const file of Object.values(BINS)) {
            const full = path.join(PROJECT_DIR, file);
            expect(fs.readFileSync(full, "utf8").split("\n")[0]).toBe("#!/usr/bin/env node");
            expect(fs.statSync(full).mode & 0o111).not.toBe(0);
        }
    });

    it("kuberay-pss runs from another folder, on paths relative to it, with the documented exit codes", () => {
        const dir = userFolder();
        const pss = (args: string[], input?: string) => run(path.join(PROJECT_DIR, BINS["kuberay-pss"]), args, { cwd: dir, env: shellEnv(), input });
        const refused = pss(["--json", "k8s"]);
        expect([refused.status, refused.stderr]).toEqual([1, ""]);
        expect(JSON.parse(refused.stdout).map((r: { file: string; allowed: boolean }) => [r.file, r.allowed])).toEqual([["k8s/pod.yaml", false]]);
        expect(pss(["--level", "privileged", "k8s/pod.yaml"]).status).toBe(0);
        const help = pss(["--help"]);
        expect(help.status).toBe(0);
        expect(help.stdout).toMatch(/^usage: kuberay-pss [^]*\noptions:\n[^]*-R, --recursive[^]*\nexit status:\n  0  every Pod allowed\n  1  a Pod refused\n  2  /);
        const unknown = pss(["--frobnicate", "k8s"]);
        expect([unknown.status, unknown.stdout]).toEqual([2, ""]);
        expect(unknown.stderr).toMatch(/^pss: Unknown option '--frobnicate'.*\nusage: kuberay-pss .*\n$/);
        expect(pss(["-"], "")).toMatchObject({ status: 2, stderr: "pss: -: nothing to check: no Kubernetes object in it (empty, or only comments); --allow-empty lets that pass\n" });
    }, 60_000);

    it("kuberay-verify runs from another folder, on paths relative to it, with the documented exit codes", () => {
        const dir = userFolder();
        const verify = (args: string[]) => run(path.join(PROJECT_DIR, BINS["kuberay-verify"]), args, { cwd: dir, env: shellEnv() });
        const audit = verify(["audit", "--namespace", NAMESPACE, "--json", "audit.log"]);
        expect([audit.status, audit.stderr]).toEqual([1, ""]);
        expect(JSON.parse(audit.stdout)).toMatchObject({ ok: false, files: [{ file: "audit.log" }], violations: [{ decision: "refused" }] });
        expect(verify(["audit", "--namespace", "default", "audit.log"]).status).toBe(1);
        for (const args of [["--help"], ["-h"], ["audit", "--help"]]) {
            const help = verify(args);
            expect([help.status, help.stderr]).toEqual([0, ""]);
            expect(help.stdout).toMatch(/\noptions:\n[^]*\nexit status:\n  0  [^]*\n  1  [^]*\n  2  /);
        }
        const unknown = verify(["--bogus"]);
        expect([unknown.status, unknown.stdout]).toEqual([2, ""]);
        expect(unknown.stderr).toBe(
            "verify: Unknown option '--bogus'\nusage: kuberay-verify [--stack NAME] [--json] [--junit FILE] [--timeout SECONDS] [--audit-log FILE]…\n       kuberay-verify audit --namespace NS [--json] --file FILE [--file FILE]… [FILE]…\n",
        );
        expect(verify(["audit", "--namespace", NAMESPACE, "missing.log"])).toMatchObject({ status: 2, stderr: 'verify audit: cannot read "missing.log": no such file\n' });
    }, 60_000);

    it("reads relative paths from the process's folder when another package's npm script runs it", () => {
        // npm leaves INIT_CWD (where npm was started) to every script; only this package's own script may use it.
        const dir = userFolder();
        const env = shellEnv({ INIT_CWD: os.tmpdir(), npm_lifecycle_event: "check", npm_package_name: "someone-else" });
        const pss = run(path.join(PROJECT_DIR, BINS["kuberay-pss"]), ["--json", "k8s/pod.yaml"], { cwd: dir, env });
        expect([pss.status, pss.stderr]).toEqual([1, ""]);
    }, 60_000);
});

describe("the documented command lines", () => {
    it("`npx kuberay-verify … --json` and `npx kuberay-pss --json …` print JSON alone on stdout", () => {
        const dir = userFolder();
        const audit = run("npx", ["kuberay-verify", "audit", "--namespace", NAMESPACE, "--json", path.join(dir, "audit.log")], { cwd: PROJECT_DIR, input: "" });
        expect(audit.status).toBe(1);
        expect(JSON.parse(audit.stdout).violations).toHaveLength(1);
        const pss = run("npx", ["kuberay-pss", "--json", path.join(dir, "k8s")], { cwd: PROJECT_DIR, input: "" });
        expect(pss.status).toBe(1);
        expect(JSON.parse(pss.stdout)).toHaveLength(1);
    }, 60_000);

    it("`npm run -s pss -- FILE` and `npm run -s verify -- audit … FILE` read FILE from the folder npm was started in", () => {
        const dir = userFolder();
        const pss = run("npm", ["--prefix", PROJECT_DIR, "run", "-s", "pss", "--", "--json", "k8s/pod.yaml"], { cwd: dir });
        expect([pss.status, pss.stderr]).toEqual([1, ""]);
        expect(JSON.parse(pss.stdout)[0].file).toBe("k8s/pod.yaml");
        const verify = run("npm", ["--prefix", PROJECT_DIR, "run", "-s", "verify", "--", "audit", "--namespace", NAMESPACE, "--json", "audit.log"], { cwd: dir });
        expect([verify.status, verify.stderr]).toEqual([1, ""]);
        expect(JSON.parse(verify.stdout).files[0].file).toBe("audit.log");
    }, 60_000);

    it("refuses options npm took for itself (written before --), rather than running without them", () => {
        const dir = userFolder();
        const verify = run("npm", ["--prefix", PROJECT_DIR, "run", "-s", "verify", "--stack=dev"], { cwd: dir });
        expect([verify.status, verify.stdout]).toEqual([2, ""]);
        expect(verify.stderr).toContain("verify: npm took --stack for itself: put the options after `--` (`npm run -s verify -- …`) or run `npx kuberay-verify …`\n");
        const pss = run("npm", ["--prefix", PROJECT_DIR, "run", "-s", "pss", "--level=privileged", "k8s/pod.yaml"], { cwd: dir });
        expect([pss.status, pss.stdout]).toEqual([2, ""]);
        expect(pss.stderr).toContain("pss: npm took --level for itself");
    }, 60_000);
});
