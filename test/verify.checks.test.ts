import { firstTracebackError } from "../verify/checks/exampleJob";
import { describe, expect, it } from "vitest";
import { auditResult } from "../verify/checks/auditViolations";
import { pipResult } from "../verify/checks/pipInstall";
import { podsResult, podsVerdict } from "../verify/checks/podsRunning";
import { errorLine } from "../lib/cli/errors";
import { exitCodeOf } from "../verify/kube/execStatus";
import { AuditScan, scanAuditLines } from "../verify/audit/auditScan";
import { admittedPodCreate, configMapForbidden, NAMESPACE, refusedPodCreate, toLines } from "./helpers/verifyAuditEvents";
import { HEALTHY_PODS, PIP_OK, rayPod } from "./helpers/verifyFakes";

describe("Pods check", () => {
    it("passes with the head and the expected workers Running", () => {
        const verdict = podsVerdict(HEALTHY_PODS, 1);
        expect(verdict).toMatchObject({ ok: true, workersRunning: 1, summary: "head raycluster-pod-security-head-8w2kq Running, 1/1 worker(s) Running", details: [] });
        expect(verdict.head?.metadata?.name).toBe("raycluster-pod-security-head-8w2kq");
    });

    it("fails with too few workers, naming the Pods that are not running and why", () => {
        const pods = [...HEALTHY_PODS, rayPod("raycluster-pod-security-small-group-worker-k2v7d", "worker", "Pending", "ContainerCreating")];
        const result = podsResult(podsVerdict(pods, 2));
        expect(result).toMatchObject({ status: "failed", summary: "head raycluster-pod-security-head-8w2kq Running, 1/2 worker(s) Running" });
        expect(result.details).toEqual(["not running: raycluster-pod-security-small-group-worker-k2v7d (small-group) Pending (ContainerCreating)"]);
    });

    it("fails without a Running head, and ignores terminating Pods", () => {
        const terminating = rayPod("raycluster-pod-security-head-old", "head");
        terminating.metadata!.deletionTimestamp = "2025-06-02T09:20:00Z";
        const verdict = podsVerdict([terminating, rayPod("raycluster-pod-security-head-new", "head", "Pending", "ImagePullBackOff")], 0);
        expect(verdict).toMatchObject({ ok: false, head: undefined, summary: "head raycluster-pod-security-head-new (headgroup) Pending (ImagePullBackOff), 0/0 worker(s) Running" });
    });

    it("explains an empty namespace", () => {
        const verdict = podsVerdict([], 1);
        expect(verdict.summary).toBe("no head Pod, 0/1 worker(s) Running");
        expect(verdict.details[0]).toMatch(/^no Pods exist: the operator could not create them/);
    });
});

describe("pip check", () => {
    it("passes on exit code 0 and quotes pip's last line", () => {
        expect(pipResult("head-0", PIP_OK, 600)).toMatchObject({ status: "passed", summary: "`pip install jsonpatch` in head-0 exited 0 (Successfully installed jsonpatch-1.33 jsonpointer-3.0.0)" });
    });

    it("fails on a non-zero exit, a timeout, or no exit code, with the output's tail", () => {
        const denied = { exitCode: 1, stdout: "Collecting jsonpatch\n", stderr: "ERROR: Could not install packages due to an OSError: [Errno 13] Permission denied: '/home/ray/anaconda3/lib/python3.10/site-packages/jsonpatch.py'\n", timedOut: false };
        const failed = pipResult("head-0", denied, 600);
        expect(failed.summary).toBe("`pip install jsonpatch` in head-0 exited 1");
        expect(failed.details).toEqual(["output:", "  Collecting jsonpatch", `  ${denied.stderr.trim()}`]);
        expect(pipResult("head-0", { stdout: "", stderr: "", timedOut: true }, 30).summary).toBe("`pip install jsonpatch` in head-0 did not finish within 30s");
        expect(pipResult("head-0", { stdout: "", stderr: "", timedOut: false, error: "HTTP 403: pods \"head-0\" is forbidden" }, 30).summary).toMatch(/gave no exit code: HTTP 403/);
    });

    it("reads the exit code from the exec Status", () => {
        expect(exitCodeOf({ metadata: {}, status: "Success" } as never)).toBe(0);
        expect(exitCodeOf({ status: "Failure", reason: "NonZeroExitCode", message: "command terminated with non-zero exit code: error executing command [pip install jsonpatch], exit code 1", details: { causes: [{ reason: "ExitCode", message: "1" }] } })).toBe(1);
        expect(exitCodeOf({ status: "Failure", reason: "InternalError", message: "boom" })).toBeUndefined();
    });
});

describe("audit check", () => {
    it("passes when the namespace's Pods were all admitted cleanly", () => {
        const result = auditResult(scanAuditLines(toLines([admittedPodCreate(), admittedPodCreate()]).split("\n"), NAMESPACE), "audit.log");
        expect(result).toMatchObject({ status: "passed", summary: "no Pod Security violation in pod-security (2 Pod request(s) in 2 event(s) from audit.log)" });
    });

    it("groups repeated refusals of the operator's retries", () => {
        const lines = toLines(["a", "b", "c", "d"].map((s) => refusedPodCreate(`raycluster-complete-head-${s}`))).split("\n");
        const result = auditResult(scanAuditLines(lines, NAMESPACE), "audit.log");
        expect(result.summary).toBe("4 Pod Security violation(s) in pod-security: 4 refused, 0 admitted with audit-violations");
        expect(result.details).toHaveLength(1);
        expect(result.details[0]).toMatch(/^refused ×4 \(raycluster-complete-head-a, raycluster-complete-head-b, raycluster-complete-head-c and 1 more\): violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false/);
    });

    it("fails when the log says nothing about the namespace, naming the namespaces it does have Pod requests for", () => {
        const scan = new AuditScan(NAMESPACE);
        scan.beginFile("audit.log", false);
        for (const line of toLines([admittedPodCreate({ namespace: "default" }), admittedPodCreate({ namespace: "pod-securty" }), configMapForbidden()]).split("\n")) scan.add(line);
        expect(auditResult(scan.result(), "audit.log")).toMatchObject({
            status: "failed",
            summary: 'no Pod request for namespace "pod-security" in "audit.log": nothing to check (3 audit event(s), 2 Pod request(s), for namespace(s) default (1), pod-securty (1); did you mean "pod-securty"?)',
        });
    });

    it("fails when the log holds no audit event at all", () => {
        const scan = new AuditScan(NAMESPACE);
        scan.beginFile("audit.log", false);
        expect(auditResult(scan.result(), "audit.log")).toMatchObject({ status: "failed", summary: 'no audit event in "audit.log" (empty): nothing to check' });
    });

    it("fails when no namespace has a Pod request: the policy may not log Pods", () => {
        const scan = new AuditScan(NAMESPACE);
        scan.beginFile("audit.log", false);
        scan.add(JSON.stringify(configMapForbidden()));
        expect(auditResult(scan.result(), "audit.log").summary).toBe(
            'no Pod request for namespace "pod-security" in "audit.log": nothing to check (1 audit event(s), no Pod request in any namespace: does the audit policy log Pods?)',
        );
    });
});

describe("error lines", () => {
    it("reduces client-node ApiExceptions to the API server's message", () => {
        const apiError = Object.assign(new Error('HTTP-Code: 403\nMessage: Unknown API Status Code!\nBody: "..."\nHeaders: {}'), {
            code: 403,
            body: JSON.stringify({ kind: "Status", apiVersion: "v1", status: "Failure", message: 'rayclusters.ray.io "raycluster-pod-security" is forbidden: User "dev" cannot get resource "rayclusters"', reason: "Forbidden", code: 403 }),
        });
        expect(errorLine(apiError)).toBe('HTTP 403: rayclusters.ray.io "raycluster-pod-security" is forbidden: User "dev" cannot get resource "rayclusters"');
        expect(errorLine(Object.assign(new Error("HTTP-Code: 401\nMessage: Unauthorized\nBody: undefined"), { code: 401 }))).toBe("HTTP 401: Unauthorized");
        expect(errorLine(new Error("connect ECONNREFUSED 127.0.0.1:6443\n    at TCPConnectWrap"))).toBe("connect ECONNREFUSED 127.0.0.1:6443");
    });
});

describe("firstTracebackError", () => {
    it("names the job's own exception even when Ray's shutdown traceback follows it", () => {
        const logs = [
            "connected to abc",
            "Traceback (most recent call last):",
            '  File "/tmp/fails.py", line 5, in <module>',
            '    raise RuntimeError("the example job failed on purpose")',
            "RuntimeError: the example job failed on purpose",
            "Exception in thread ray_print_logs:",
            "Traceback (most recent call last):",
            '  File "threading.py", line 1527, in _register_atexit',
            "RuntimeError: can't register atexit after shutdown",
        ].join("\n");
        expect(firstTracebackError(logs)).toBe("RuntimeError: the example job failed on purpose");
        expect(firstTracebackError("all good\n")).toBeUndefined();
    });
});
