import { spawnSync } from "child_process";
import { afterEach, describe, expect, it } from "vitest";
import { UsageError } from "../verify/cli/io";
import { VerifyCommandDeps } from "../verify/cli/verifyCommand";
import { runCli } from "../verify/main";
import { admittedPodCreate, NAMESPACE, refusedPodCreate, requestReceived, toLines, WORKER_AUDIT_VIOLATION } from "./helpers/verifyAuditEvents";
import { auditLogFile, FakeDeployment, healthyDeployment, step51Deployment } from "./helpers/verifyFakes";
import { PROJECT_DIR } from "./helpers/stackConfig";

async function cli(args: string[], deps?: VerifyCommandDeps) {
    let stdout = "";
    let stderr = "";
    const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) }, deps);
    return { code, stdout, stderr };
}

/** Outputs as `pulumi stack output --json --show-secrets` prints them for the dev stack. */
function outputsFor(deployment: FakeDeployment) {
    const { target } = deployment;
    return {
        kubeconfig: "apiVersion: v1\nkind: Config\n",
        kubeContext: target.kubeContext,
        clusterName: target.clusterName,
        namespace: target.namespace,
        rayClusterName: target.rayClusterName,
        headServiceName: target.headServiceName,
        dashboardPortForwardCommand: `kubectl --context ${target.kubeContext} port-forward -n ${target.namespace} svc/${target.headServiceName} 8265:8265`,
        auditLogPath: target.auditLogPath,
        auditLogCommand: `docker exec ${target.clusterName}-control-plane cat ${target.auditLogPath}`,
    };
}

let deployment: FakeDeployment | undefined;
afterEach(async () => {
    await deployment?.close();
    deployment = undefined;
});

function depsFor(d: FakeDeployment, seen: { stack?: string; auditLog?: string } = {}): VerifyCommandDeps {
    return {
        stackOutputs: async (stack) => {
            seen.stack = stack;
            return outputsFor(d);
        },
        connect: async (_target, auditLog, progress) => {
            seen.auditLog = auditLog;
            return { ...d.deps, progress };
        },
    };
}

const neverCalled: VerifyCommandDeps = {
    stackOutputs: () => Promise.reject(new Error("must not read outputs")),
    connect: () => Promise.reject(new Error("must not connect")),
};

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
        expect(stderr).toContain("usage: npm run verify -- [--stack NAME] [--json] [--timeout SECONDS] [--audit-log FILE]");
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
        const seen: { stack?: string; auditLog?: string } = {};
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
        const seen: { auditLog?: string } = {};
        const { code, stdout } = await cli(["--json", "--audit-log", file], depsFor(deployment, seen));
        expect(code).toBe(1);
        expect(seen.auditLog).toBe(file);
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

    it("prints exactly {events, skipped, violations} and exits 1 when there are violations", async () => {
        const file = auditLogFile(log + '{"kind":"Event","apiVer');
        const { code, stdout, stderr } = await cli(["audit", "--file", file, "--namespace", NAMESPACE, "--json"]);
        expect([code, stderr]).toEqual([1, ""]);
        const result = JSON.parse(stdout);
        expect(Object.keys(result)).toEqual(["events", "skipped", "violations"]);
        expect(result.events).toBe(4);
        expect(result.skipped).toBe(1);
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
        expect(stdout).toBe(`${file}: 4 audit event(s), 0 skipped line(s); 0 Pod Security violation(s) in namespace default\n`);
        expect((await cli(["audit", "--file", auditLogFile(""), "--namespace", NAMESPACE, "--json"])).stdout).toBe('{\n  "events": 0,\n  "skipped": 0,\n  "violations": []\n}\n');
    });

    it("exits 2 on a file that cannot be read and on bad arguments", async () => {
        expect(await cli(["audit", "--file", "/nonexistent/audit.log", "--namespace", NAMESPACE])).toEqual({ code: 2, stdout: "", stderr: 'verify audit: cannot read "/nonexistent/audit.log": no such file\n' });
        const usage = "usage: npm run -s verify -- audit --file FILE --namespace NS [--json]\n";
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
