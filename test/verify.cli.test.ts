import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as zlib from "zlib";
import { afterEach, describe, expect, it } from "vitest";
import { UsageError } from "../lib/cli/errors";
import { VerifyCommandDeps } from "../verify/cli/verifyCommand";
import { runCli } from "../verify/main";
import { admittedPodCreate, NAMESPACE, refusedPodCreate, requestReceived, toLines, WORKER_AUDIT_VIOLATION } from "./helpers/verifyAuditEvents";
import { auditLogFile, FakeDeployment, healthyDeployment, step51Deployment } from "./helpers/verifyFakes";
import { cli, depsFor, neverCalled } from "./helpers/verifyCli";
import { PROJECT_DIR } from "./support/paths";

let deployment: FakeDeployment | undefined;
afterEach(async () => {
    await deployment?.close();
    deployment = undefined;
});

describe("verify CLI: arguments", () => {
    it.each([
        [["--bogus"], "verify: Unknown option '--bogus'"],
        [["--timeout", "0"], 'verify: --timeout "0": must be a whole number of seconds > 0'],
        [["--timeout", "ten"], 'verify: --timeout "ten": must be a whole number of seconds > 0'],
        [["--stack", ""], "verify: --stack: the stack name is empty"],
        [["extra"], "verify: Unexpected argument 'extra'. This command does not take positional arguments"],
    ])("%j → exit 2, one line and the usage", async (args, line) => {
        const { code, stdout, stderr } = await cli(args, neverCalled);
        expect(code).toBe(2);
        expect(stdout).toBe("");
        expect(stderr.split("\n")[0]).toBe(line);
        expect(stderr).toContain("usage: kuberay-verify [--stack NAME] [--json] [--junit FILE] [--timeout SECONDS] [--audit-log FILE]…\n       kuberay-verify audit --namespace NS");
    });

    it("rejects an --audit-log that is missing, naming it", async () => {
        expect(await cli(["--audit-log", "/nonexistent/audit.log"], neverCalled)).toEqual({ code: 2, stdout: "", stderr: 'verify: --audit-log "/nonexistent/audit.log": no such file\n' });
    });

    it("reports a stack whose outputs cannot be read in one line, exit 2", async () => {
        const deps: VerifyCommandDeps = { ...neverCalled, stackOutputs: () => Promise.reject(new UsageError("`pulumi stack output --json --show-secrets --stack nope` failed: no stack named 'nope' found")) };
        expect(await cli(["--stack", "nope"], deps)).toEqual({ code: 2, stdout: "", stderr: "verify: `pulumi stack output --json --show-secrets --stack nope` failed: no stack named 'nope' found\n" });
        const empty: VerifyCommandDeps = { ...neverCalled, stackOutputs: async () => ({}) };
        expect((await cli([], empty)).stderr).toBe('verify: the stack has no "namespace" output: run `pulumi up` for it first\n');
    });
});

describe("verify CLI: a run", () => {
    it("healthy stack: progress on stderr, checklist on stdout, exit 0", async () => {
        deployment = await healthyDeployment();
        const seen: { stack?: string; auditLogs?: readonly string[] } = {};
        const { code, stdout, stderr } = await cli(["--stack", "dev", "--timeout", "120"], depsFor(deployment, seen));
        expect(code).toBe(0);
        expect(seen.stack).toBe("dev");
        expect(stderr).toContain("[1/5] RayCluster ready: waiting up to 120s for pod-security/raycluster-pod-security\n");
        expect(stdout).toMatch(/^\nStack dev: RayCluster raycluster-pod-security in namespace pod-security\n✔ RayCluster ready: /);
        expect(stdout).toMatch(/All 5 checks passed\.\n$/);
    });

    it("Step 5.1 stack with --json: the JSON result alone on stdout, exit 1", async () => {
        deployment = await step51Deployment();
        const file = auditLogFile(toLines([refusedPodCreate("raycluster-complete-head-x7k2p")]));
        const seen: { auditLogs?: readonly string[] } = {};
        const { code, stdout } = await cli(["--json", "--audit-log", file], depsFor(deployment, seen));
        expect(code).toBe(1);
        expect(seen.auditLogs).toEqual([file]);
        const result = JSON.parse(stdout);
        expect(Object.keys(result)).toEqual(["ok", "stack", "namespace", "rayClusterName", "checks"]);
        expect(result).toMatchObject({ ok: false, stack: null, namespace: "pod-security", rayClusterName: "raycluster-complete" });
        expect(result.checks.map((c: { id: string; status: string }) => `${c.id}:${c.status}`)).toEqual(["raycluster:failed", "pods:failed", "audit:failed", "job:skipped", "pip:skipped"]);
        expect(Object.keys(result.checks[0])).toEqual(["id", "title", "status", "summary", "details", "data"]);
    });
});

describe("verify audit", () => {
    const log = toLines([
        requestReceived({ time: "2025-06-02T09:12:41.102311Z" }),
        refusedPodCreate("raycluster-complete-head-x7k2p", { time: "2025-06-02T09:12:41.102311Z" }),
        admittedPodCreate({ time: "2025-06-02T09:13:05.000001Z", auditViolations: WORKER_AUDIT_VIOLATION }),
        admittedPodCreate({ namespace: "default" }),
    ]);
    const usage = "usage: kuberay-verify audit --namespace NS [--json] --file FILE [--file FILE]… [FILE]…\n";

    it("prints the documented JSON and exits 1 when there are violations", async () => {
        const file = auditLogFile(log + '{"kind":"Event","apiVer');
        const { code, stdout, stderr } = await cli(["audit", "--file", file, "--namespace", NAMESPACE, "--json"]);
        expect([code, stderr]).toEqual([1, ""]);
        const result = JSON.parse(stdout);
        expect(Object.keys(result)).toEqual(["ok", "namespace", "files", "events", "skipped", "podRequests", "podRequestsByNamespace", "problem", "violations"]);
        expect(result).toMatchObject({
            ok: false,
            namespace: NAMESPACE,
            files: [{ file, compressed: false, events: 4, skipped: 1 }],
            events: 4,
            skipped: 1,
            podRequests: 2,
            podRequestsByNamespace: { [NAMESPACE]: 2, default: 1 },
            problem: null,
        });
        expect(result.violations.map((v: object) => Object.keys(v))).toEqual([
            ["time", "pod", "namespace", "verb", "decision", "policy", "message"],
            ["time", "pod", "namespace", "verb", "decision", "policy", "message"],
        ]);
        expect(result.violations[0]).toMatchObject({ time: "2025-06-02T09:12:41.102311Z", pod: "raycluster-complete-head-x7k2p", namespace: NAMESPACE, verb: "create", decision: "refused", policy: "restricted:latest" });
        expect(result.violations[0].message).toMatch(/^violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false/);
        expect(result.violations[1]).toMatchObject({ decision: "audit", policy: "restricted:latest", message: WORKER_AUDIT_VIOLATION });
    });

    it("exits 0 without violations, with readable text without --json", async () => {
        const file = auditLogFile(log);
        const { code, stdout } = await cli(["audit", "--file", file, "--namespace", "default"]);
        expect(code).toBe(0);
        expect(stdout).toBe(`${JSON.stringify(file)}: 4 audit event(s), 0 skipped line(s), 1 Pod request(s) in namespace default; 0 Pod Security violation(s)\n`);
    });

    it("exits 2 on a file that cannot be read and on bad arguments", async () => {
        expect(await cli(["audit", "--file", "/nonexistent/audit.log", "--namespace", NAMESPACE])).toEqual({ code: 2, stdout: "", stderr: 'verify audit: cannot read "/nonexistent/audit.log": no such file\n' });
        expect(await cli(["audit", "--namespace", NAMESPACE])).toEqual({ code: 2, stdout: "", stderr: `verify audit: --file FILE is required\n${usage}` });
        expect(await cli(["audit", "--file", "x.log"])).toEqual({ code: 2, stdout: "", stderr: `verify audit: --namespace NS is required\n${usage}` });
        expect((await cli(["audit", "--file", "x.log", "--namespace", "ns", "--stack", "dev"])).code).toBe(2);
    });

    it("runs as `npm run -s verify -- audit …`", () => {
        const file = auditLogFile(log);
        const run = spawnSync("npm", ["run", "-s", "verify", "--", "audit", "--file", file, "--namespace", NAMESPACE, "--json"], { cwd: PROJECT_DIR, encoding: "utf8" });
        expect(run.stderr).toBe("");
        expect(run.status).toBe(1);
        expect(JSON.parse(run.stdout).violations.map((v: { decision: string }) => v.decision)).toEqual(["refused", "audit"]);
    });
});

describe("verify audit fails closed", () => {
    const log = toLines([
        refusedPodCreate("raycluster-complete-head-x7k2p", { time: "2025-06-02T09:12:41.102311Z" }),
        admittedPodCreate({ time: "2025-06-02T09:13:05.000001Z" }),
        admittedPodCreate({ namespace: "default" }),
    ]);
    const audit = (...args: string[]) => cli(["audit", "--namespace", NAMESPACE, ...args]);

    it("reads a gzip log (--audit-log-compress) by its magic bytes, whatever its name", async () => {
        for (const name of ["kube-apiserver-audit.log", "audit-2025-06-02T09-12-41.102.log.gz"]) {
            const file = auditLogFile(zlib.gzipSync(log), name);
            const { code, stdout } = await audit("--file", file);
            expect(code).toBe(1);
            expect(stdout.split("\n")[0]).toBe(`${JSON.stringify(file)}: 3 audit event(s), 0 skipped line(s), 2 Pod request(s) in namespace pod-security; 1 Pod Security violation(s)`);
        }
    });

    it("an empty file: exit 1, nothing to check", async () => {
        const file = auditLogFile("");
        expect(await audit("--file", file)).toEqual({ code: 1, stdout: `no audit event in ${JSON.stringify(file)} (empty): nothing to check\n`, stderr: "" });
        const json = JSON.parse((await audit("--json", "--file", file)).stdout);
        expect(json).toMatchObject({ ok: false, events: 0, podRequests: 0, problem: `no audit event in ${JSON.stringify(file)} (empty): nothing to check`, violations: [] });
    });

    it("random bytes: exit 2, not an audit log", async () => {
        let x = 0x2545f491;
        const bytes = Buffer.from(Array.from({ length: 32 * 1024 }, () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0), x >>> 24)));
        const file = auditLogFile(bytes, "audit.log");
        const { code, stdout, stderr } = await audit("--file", file);
        expect([code, stdout]).toEqual([2, ""]);
        expect(stderr).toMatch(/^verify audit: ".*audit\.log" is not an audit log: none of its \d+ line\(s\) is an audit event \(one JSON audit\.k8s\.io Event per line, as kube-apiserver writes with --audit-log-format=json, plain or gzip\)\n$/);
    });

    it("corrupt gzip: exit 2, naming the file", async () => {
        const gz = zlib.gzipSync(log);
        gz.fill(0xff, 10, 40);
        const file = auditLogFile(gz, "audit.log.gz");
        const { code, stderr } = await audit("--file", file);
        expect(code).toBe(2);
        expect(stderr).toMatch(new RegExp(`^verify audit: cannot read ".*audit\\.log\\.gz": not valid gzip data \\(.+\\)\\n$`));
    });

    it("a namespace with a typo: exit 1, saying what was seen and for which namespaces", async () => {
        const file = auditLogFile(log);
        const { code, stdout } = await cli(["audit", "--file", file, "--namespace", "pod-secruity"]);
        expect(code).toBe(1);
        expect(stdout).toBe(
            `no Pod request for namespace "pod-secruity" in ${JSON.stringify(file)}: nothing to check (3 audit event(s), 3 Pod request(s), for namespace(s) pod-security (2), default (1); did you mean "pod-security"?)\n`,
        );
    });

    it("a rotated set, given with several --file or as a list (a shell glob): read as one log, violations in time order", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "verify-audit-set-"));
        const files = {
            "audit.log": toLines([admittedPodCreate({ time: "2025-06-02T09:13:05.000001Z", auditViolations: WORKER_AUDIT_VIOLATION })]) + '{"kind":"Event","apiVersion":"audit.k8s.io/v1","auditID":"5f0c',
            "audit.log.1": toLines([refusedPodCreate("raycluster-complete-head-q4m8d", { time: "2025-06-02T09:12:50.388514Z" })]),
            "audit-2025-06-02T09-12-45.000.log.gz": zlib.gzipSync(toLines([refusedPodCreate("raycluster-complete-head-x7k2p", { time: "2025-06-02T09:12:41.102311Z" })])),
        };
        for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), content);
        const paths = Object.keys(files).map((name) => path.join(dir, name));
        for (const args of [paths.flatMap((file) => ["--file", file]), paths, ["--file", paths[0], paths[1], paths[2]]]) {
            const { code, stdout } = await audit("--json", ...args);
            expect(code).toBe(1);
            const result = JSON.parse(stdout);
            expect(result.files.map((f: { file: string; compressed: boolean }) => [path.basename(f.file), f.compressed])).toEqual([
                ["audit.log", false],
                ["audit.log.1", false],
                ["audit-2025-06-02T09-12-45.000.log.gz", true],
            ]);
            expect([result.events, result.skipped, result.podRequests]).toEqual([3, 1, 3]);
            expect(result.violations.map((v: { pod: string; decision: string }) => `${v.decision} ${v.pod}`)).toEqual([
                "refused raycluster-complete-head-x7k2p",
                "refused raycluster-complete-head-q4m8d",
                "audit ",
            ]);
        }
        expect((await audit(paths[0], paths[1], paths[2])).stdout.split("\n")[0]).toBe(
            `${paths.slice(0, 2).map((p) => JSON.stringify(p)).join(", ")} and ${JSON.stringify(paths[2])}: 3 audit event(s), 1 skipped line(s), 3 Pod request(s) in namespace pod-security; 3 Pod Security violation(s)`,
        );
        fs.rmSync(dir, { recursive: true });
    });

    it("refuses the same file given twice (every event would count twice)", async () => {
        const file = auditLogFile(log);
        expect(await audit("--file", file, file)).toEqual({ code: 2, stdout: "", stderr: `verify audit: ${JSON.stringify(file)} is given twice: every event would count twice\n` });
    });

    it("still tolerates a truncated last line when the file has other events", async () => {
        const { code, stdout } = await audit("--json", "--file", auditLogFile(log + JSON.stringify(admittedPodCreate()).slice(0, 150)));
        expect(code).toBe(1);
        expect(JSON.parse(stdout)).toMatchObject({ events: 3, skipped: 1, violations: [{ pod: "raycluster-complete-head-x7k2p" }] });
    });
});

describe("npm run verify's audit check fails closed too", () => {
    const runWith = async (make: () => Promise<FakeDeployment>, ...files: string[]) => {
        deployment = await make();
        const { code, stdout } = await cli(["--json", ...files.flatMap((file) => ["--audit-log", file])], depsFor(deployment));
        return { code, audit: JSON.parse(stdout).checks.find((c: { id: string }) => c.id === "audit") };
    };

    it("reads a gzip --audit-log", async () => {
        const { code, audit } = await runWith(healthyDeployment, auditLogFile(zlib.gzipSync(toLines([admittedPodCreate(), admittedPodCreate()])), "audit.log.1"));
        expect(code).toBe(0);
        expect(audit).toMatchObject({ status: "passed", data: { podRequests: 2, files: [{ compressed: true }] } });
    });

    it("an empty --audit-log fails the check: nothing to check", async () => {
        const file = auditLogFile("");
        const { code, audit } = await runWith(healthyDeployment, file);
        expect(code).toBe(1);
        expect(audit).toMatchObject({ status: "failed", summary: `no audit event in ${JSON.stringify(file)} (empty): nothing to check` });
    });

    it("an --audit-log that is not an audit log: the checklist is printed, and verify exits 2", async () => {
        const file = auditLogFile(Buffer.from("\u0000\u0001\u0002 not a log \n\u00ff\u00fe\n"), "audit.log");
        const { code, audit } = await runWith(healthyDeployment, file);
        expect(code).toBe(2);
        expect(audit).toMatchObject({ status: "failed", summary: `${JSON.stringify(file)} is not an audit log: none of its 2 line(s) is an audit event (one JSON audit.k8s.io Event per line, as kube-apiserver writes with --audit-log-format=json, plain or gzip)` });
    });

    it("a log of other namespaces names them", async () => {
        const file = auditLogFile(toLines([admittedPodCreate({ namespace: "pod-securty" }), admittedPodCreate({ namespace: "pod-securty" })]));
        const { code, audit } = await runWith(healthyDeployment, file);
        expect(code).toBe(1);
        expect(audit.summary).toBe(`no Pod request for namespace "pod-security" in ${JSON.stringify(file)}: nothing to check (2 audit event(s), 2 Pod request(s), for namespace(s) pod-securty (2); did you mean "pod-securty"?)`);
    });

    it("takes a rotated set as several --audit-log", async () => {
        const { code, audit } = await runWith(step51Deployment, auditLogFile(toLines([admittedPodCreate()])), auditLogFile(zlib.gzipSync(toLines([refusedPodCreate("raycluster-complete-head-x7k2p")]))));
        expect(code).toBe(1);
        expect(audit).toMatchObject({ status: "failed", summary: "1 Pod Security violation(s) in pod-security: 1 refused, 0 admitted with audit-violations", data: { events: 2, podRequests: 2 } });
    });

    it("refuses an --audit-log given twice", async () => {
        const file = auditLogFile(toLines([admittedPodCreate()]));
        const { code, stderr } = await cli(["--audit-log", file, "--audit-log", file], neverCalled);
        expect(code).toBe(2);
        expect(stderr.split("\n")[0]).toBe(`verify: --audit-log ${JSON.stringify(file)} is given twice: every event would count twice`);
    });
});

describe("verify reads relative paths from the user's folder, and --help", () => {
    const inFolder = async (args: string[], cwd: string, deps?: VerifyCommandDeps) => {
        let stdout = "";
        let stderr = "";
        const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd }, deps);
        return { code, stdout, stderr };
    };

    it("`audit` and --audit-log name files as written, read from io.cwd", async () => {
        const file = auditLogFile(toLines([refusedPodCreate("raycluster-complete-head-x7k2p")]));
        const dir = path.dirname(file);
        const audit = await inFolder(["audit", "--namespace", NAMESPACE, "--json", path.basename(file)], dir);
        expect(audit.code).toBe(1);
        expect(JSON.parse(audit.stdout).files).toEqual([{ file: path.basename(file), compressed: false, events: 1, skipped: 0 }]);
        expect((await inFolder(["audit", "--namespace", NAMESPACE, path.basename(file)], os.tmpdir())).code).toBe(2);
        deployment = await step51Deployment();
        const seen: { auditLogs?: readonly string[] } = {};
        const run = await inFolder(["--json", "--audit-log", path.basename(file)], dir, depsFor(deployment, seen));
        expect(run.code).toBe(1);
        expect(seen.auditLogs).toEqual([path.basename(file)]);
        expect((await inFolder(["--audit-log", path.basename(file)], os.tmpdir(), neverCalled)).stderr).toBe(`verify: --audit-log ${JSON.stringify(path.basename(file))}: no such file\n`);
    });

    it("--help on verify and on audit: exit 0, the options and the exit statuses, even beside a bad argument", async () => {
        for (const [args, option] of [[["--help"], "--audit-log FILE"], [["--bogus", "-h"], "--timeout SECONDS"], [["audit", "--help"], "--namespace NS"], [["audit", "--nope", "-h"], "--file FILE"]] as const) {
            const { code, stdout, stderr } = await inFolder([...args], os.tmpdir(), neverCalled);
            expect([code, stderr]).toEqual([0, ""]);
            expect(stdout).toContain(`\noptions:\n`);
            expect(stdout).toContain(option);
            expect(stdout).toMatch(/\nexit status:\n  0  .+\n  1  .+\n  2  .+\n/);
        }
    });
});
