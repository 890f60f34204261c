import { afterEach, describe, expect, it } from "vitest";
import { reportJson, reportOk, renderChecklist } from "../verify/report/checklist";
import { runVerify } from "../verify/run/runVerify";
import { FakeDeployment, healthyDeployment, step51Deployment } from "./helpers/verifyFakes";

let deployment: FakeDeployment | undefined;
afterEach(async () => {
    await deployment?.close();
    deployment = undefined;
});

const options = { timeoutSeconds: 600 };

describe("verify, the five checks in order", () => {
    it("passes every check on a healthy stack", async () => {
        deployment = await healthyDeployment();
        const report = await runVerify(deployment.target, options, deployment.deps);
        expect(report.checks.map((c) => [c.id, c.status])).toEqual([
            ["raycluster", "passed"],
            ["pods", "passed"],
            ["audit", "passed"],
            ["job", "passed"],
            ["pip", "passed"],
        ]);
        expect(reportOk(report)).toBe(true);
        expect(deployment.cluster.calls).toEqual([
            "get rayclusters pod-security/raycluster-pod-security",
            "get rayclusters pod-security/raycluster-pod-security",
            "list pods pod-security ray.io/cluster=raycluster-pod-security",
            "port-forward pod-security/raycluster-pod-security-head-8w2kq 8265",
            "port-forward closed",
            "exec pod-security/raycluster-pod-security-head-8w2kq -c ray-head -- pip install jsonpatch",
        ]);
        expect(deployment.jobs.submissions).toEqual([{ entrypoint: "python /home/ray/samples/xgboost_example.py", metadata: { submitted_by: "kuberay-pod-security verify" } }]);
        expect(deployment.progress.filter((line) => line.startsWith("["))).toEqual([
            "[1/5] RayCluster ready: waiting up to 600s for pod-security/raycluster-pod-security",
            "[2/5] Pods: listing the Pods labelled ray.io/cluster=raycluster-pod-security in pod-security",
            "[3/5] Audit log: reading kuberay-dev-control-plane:/var/log/kubernetes/kube-apiserver-audit.log",
            "[4/5] Example job: port-forwarding to raycluster-pod-security-head-8w2kq:8265, submitting `python /home/ray/samples/xgboost_example.py`",
            "[5/5] pip under restricted: running `pip install jsonpatch` in raycluster-pod-security-head-8w2kq",
        ]);
        const text = renderChecklist(report);
        expect(text.split("\n").filter((line) => /^[✔✘–] /.test(line))).toHaveLength(5);
        expect(text).toMatch(/All 5 checks passed\.\n$/);
    });

    it("finds the Step 5.1 refusal: RayCluster, Pods and audit log fail, job and pip are not run", async () => {
        deployment = await step51Deployment();
        const report = await runVerify(deployment.target, options, deployment.deps);
        expect(report.checks.map((c) => [c.id, c.status])).toEqual([
            ["raycluster", "failed"],
            ["pods", "failed"],
            ["audit", "failed"],
            ["job", "skipped"],
            ["pip", "skipped"],
        ]);
        expect(reportOk(report)).toBe(false);
        const text = renderChecklist(report);
        expect(text).toContain('✘ RayCluster ready: ReplicaFailure (FailedCreateHeadPod): pods "raycluster-complete-head-x7k2p" is forbidden: violates PodSecurity "restricted:latest"');
        expect(text).toContain("✘ Audit log: 4 Pod Security violation(s) in pod-security: 4 refused, 0 admitted with audit-violations");
        expect(text).toContain("– Example job: not run: no head Pod is Running");
        expect(text).toMatch(/0 passed, 3 failed, 2 not run\.\n$/);
        expect(deployment.jobs.requests).toEqual([]);
        const json = reportJson(report) as { ok: boolean; checks: { id: string; data: Record<string, unknown> }[] };
        expect(json.ok).toBe(false);
        const audit = json.checks.find((c) => c.id === "audit")!.data;
        expect(audit).toMatchObject({ events: 5, skipped: 0, podRequests: 5 });
        expect((audit.violations as unknown[]).length).toBe(4);
    });

    it("skips the audit check when no audit log is known, without failing the run", async () => {
        deployment = await healthyDeployment();
        const report = await runVerify({ ...deployment.target, clusterName: undefined, auditLogPath: undefined }, options, { ...deployment.deps, auditLogs: () => [] });
        const audit = report.checks.find((c) => c.id === "audit")!;
        expect(audit).toMatchObject({ status: "skipped", summary: "not run: this cluster's audit log is not reachable; pass a copy with --audit-log FILE" });
        expect(reportOk(report)).toBe(true);
        expect(renderChecklist(report)).toMatch(/4 passed, 0 failed, 1 not run\.\n$/);
    });

    it("turns an API error into a failed check and goes on with the next ones", async () => {
        deployment = await healthyDeployment();
        const forbidden = Object.assign(new Error("HTTP-Code: 403"), { code: 403, body: JSON.stringify({ message: 'rayclusters.ray.io "raycluster-pod-security" is forbidden: User "dev" cannot get resource "rayclusters"' }) });
        const cluster = { ...deployment.cluster, getRayCluster: async () => Promise.reject(forbidden), portForward: async () => Promise.reject(new Error("error upgrading connection: pods \"x\" not found")) };
        const report = await runVerify(deployment.target, options, { ...deployment.deps, cluster });
        expect(report.checks.map((c) => [c.id, c.status])).toEqual([
            ["raycluster", "failed"],
            // Without the RayCluster the expected worker count is unknown: the check cannot pass.
            ["pods", "failed"],
            ["audit", "passed"],
            ["job", "failed"],
            ["pip", "passed"],
        ]);
        expect(report.checks[0].summary).toBe('HTTP 403: rayclusters.ray.io "raycluster-pod-security" is forbidden: User "dev" cannot get resource "rayclusters"');
        expect(report.checks[1].summary).toMatch(/1 worker\(s\) Running; expected count unknown \(the RayCluster could not be read\)$/);
        expect(report.checks[3].summary).toBe('error upgrading connection: pods "x" not found');
    });
});
