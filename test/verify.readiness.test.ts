import { describe, expect, it } from "vitest";
import { CheckResult } from "../verify/checks/checkResult";
import { expectedWorkers } from "../verify/checks/rayCluster";
import { rayClusterReadiness, readinessResult } from "../verify/checks/readiness";
import { waitForRayCluster } from "../verify/checks/waitForRayCluster";
import { renderChecklist } from "../verify/report/checklist";
import { HEAD_REFUSAL } from "./helpers/verifyAuditEvents";
import { fakeClock, provisioningRayCluster, readyRayCluster, refusedRayCluster, suspendedRayCluster } from "./helpers/verifyFakes";

const checklistLine = (result: CheckResult) => renderChecklist({ namespace: "pod-security", rayClusterName: "rc", checks: [result] }).split("\n")[1];

describe("RayCluster readiness", () => {
    it("is ready on state ready and RayClusterProvisioned True", () => {
        const readiness = rayClusterReadiness(readyRayCluster());
        expect(readiness).toEqual({ verdict: "ready", summary: "state ready, RayClusterProvisioned True, HeadPodReady True, 1/1 worker(s) ready" });
        expect(checklistLine(readinessResult({ readiness, timedOut: false, waitedMs: 0 }, 600))).toBe(
            "✔ RayCluster ready: state ready, RayClusterProvisioned True, HeadPodReady True, 1/1 worker(s) ready",
        );
    });

    it("is ready on RayClusterProvisioned True alone (state is deprecated and may be unset)", () => {
        const rayCluster = readyRayCluster();
        delete rayCluster.status!.state;
        expect(rayClusterReadiness(rayCluster).verdict).toBe("ready");
    });

    it("fails at once on a ReplicaFailure that is a Pod Security refusal, with the API error as message", () => {
        const readiness = rayClusterReadiness(refusedRayCluster());
        expect(readiness.verdict).toBe("failed");
        expect(readiness.replicaFailure).toEqual({ reason: "FailedCreateHeadPod", message: `pods "raycluster-complete-head-x7k2p" is forbidden: ${HEAD_REFUSAL}` });
        const lines = renderChecklist({ namespace: "pod-security", rayClusterName: "raycluster-complete", checks: [readinessResult({ readiness, timedOut: false, waitedMs: 0 }, 600)] }).split("\n");
        expect(lines[1]).toBe(`✘ RayCluster ready: ReplicaFailure (FailedCreateHeadPod): pods "raycluster-complete-head-x7k2p" is forbidden: ${HEAD_REFUSAL}`);
        expect(lines[2]).toBe("0 passed, 1 failed.");
    });

    it("keeps waiting on a ReplicaFailure that may heal (e.g. a quota), and shows it", () => {
        const rayCluster = provisioningRayCluster();
        rayCluster.status!.conditions!.push({ type: "ReplicaFailure", status: "True", reason: "FailedCreateWorkerPod", message: 'FailedCreateWorkerPod\npods "raycluster-pod-security-small-group-worker-t5x9c" is forbidden: exceeded quota: compute, requested: limits.cpu=1, used: limits.cpu=4, limited: limits.cpu=4' });
        const readiness = rayClusterReadiness(rayCluster);
        expect(readiness.verdict).toBe("pending");
        expect(readiness.summary).toMatch(/ReplicaFailure \(FailedCreateWorkerPod\)$/);
    });

    it("fails on a suspended RayCluster", () => {
        const readiness = rayClusterReadiness(suspendedRayCluster());
        expect(readiness.verdict).toBe("failed");
        expect(checklistLine(readinessResult({ readiness, timedOut: false, waitedMs: 0 }, 600))).toBe(
            "✘ RayCluster ready: the RayCluster is suspended (spec.suspend: true); resume it before verifying",
        );
    });

    it("fails when the RayCluster does not exist", () => {
        expect(rayClusterReadiness(undefined)).toMatchObject({ verdict: "failed", summary: expect.stringContaining("does not exist") });
    });

    it("is pending while not yet provisioned, and says what is missing", () => {
        expect(rayClusterReadiness(provisioningRayCluster())).toEqual({
            verdict: "pending",
            summary: "state (none), RayClusterProvisioned False (RayClusterPodsProvisioning), HeadPodReady False (ContainersNotReady), 0/1 worker(s) ready",
        });
    });
});

describe("waiting for the RayCluster", () => {
    it("polls until ready, reporting each change once", async () => {
        const clock = fakeClock();
        const states = [provisioningRayCluster(), provisioningRayCluster(), readyRayCluster()];
        const progress: string[] = [];
        const wait = await waitForRayCluster(async () => states.shift(), { clock, timeoutMs: 60_000, pollMs: 3_000, onProgress: (s) => progress.push(s) });
        expect(wait).toMatchObject({ readiness: { verdict: "ready" }, timedOut: false, waitedMs: 6_000 });
        expect(progress).toHaveLength(1);
        expect(clock.slept).toEqual([3_000, 3_000]);
    });

    it("stops at the configured bound and reports not ready", async () => {
        const clock = fakeClock();
        const wait = await waitForRayCluster(async () => provisioningRayCluster(), { clock, timeoutMs: 10_000, pollMs: 3_000 });
        expect(wait).toMatchObject({ timedOut: true, waitedMs: 10_000, readiness: { verdict: "pending" } });
        expect(clock.slept).toEqual([3_000, 3_000, 3_000, 1_000]);
        expect(checklistLine(readinessResult(wait, 10))).toBe(
            "✘ RayCluster ready: not ready after 10s: state (none), RayClusterProvisioned False (RayClusterPodsProvisioning), HeadPodReady False (ContainersNotReady), 0/1 worker(s) ready",
        );
    });

    it("does not wait for a refused RayCluster", async () => {
        const clock = fakeClock();
        const wait = await waitForRayCluster(async () => refusedRayCluster(), { clock, timeoutMs: 600_000, pollMs: 3_000 });
        expect(wait.readiness.verdict).toBe("failed");
        expect(clock.slept).toEqual([]);
    });
});

describe("expected workers", () => {
    it("uses the operator's desiredWorkerReplicas, else KubeRay's rule over the spec", () => {
        expect(expectedWorkers(readyRayCluster())).toBe(1);
        expect(expectedWorkers({ spec: { workerGroupSpecs: [{ replicas: 0, minReplicas: 2, maxReplicas: 4 }, { replicas: 9, maxReplicas: 3, numOfHosts: 2 }, { replicas: 5, suspend: true }] } })).toBe(8);
        expect(expectedWorkers(undefined)).toBeUndefined();
    });
});
