/**
 * The tutorial's Step 5.1 for real: ray-cluster.complete.yaml (Ray updated to the program's version) in the
 * `restricted` namespace. The API server accepts the RayCluster, refuses every Pod the operator tries to
 * create, and the refusal — in the RayCluster's ReplicaFailure condition and in the audit log — is, word for
 * word, what the project's checker predicted for the same object.
 */

import * as fs from "fs";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { evaluateManifest } from "../../pss/evaluateManifest";
import { runAuditCommand } from "../../verify/cli/auditCommand";
import { connect } from "../../verify/run/connect";
import { renderChecklist, reportOk } from "../../verify/report/checklist";
import { runVerify } from "../../verify/run/runVerify";
import { readAuditLogFile } from "../../verify/audit/readAuditLog";
import { podSecurityLabels } from "../../components/namespace/labels";
import { clients, createNamespace, eventually } from "../support/harness/cluster";
import { E2E_NAMESPACE } from "../support/harness/names";
import { replicaFailure, step51Manifest } from "../support/tutorial/step51";

const { core, custom } = clients();
const manifest = step51Manifest();
const name: string = manifest.metadata.name;
const predicted = evaluateManifest(manifest, "restricted", "latest");

beforeAll(async () => {
    // The tutorial's namespace, enforcing restricted:latest (program.e2e.test.ts may have made it already).
    await createNamespace(core, E2E_NAMESPACE, podSecurityLabels("restricted", "latest"));
    await custom.createNamespacedCustomObject({ group: "ray.io", version: "v1", namespace: E2E_NAMESPACE, plural: "rayclusters", body: manifest });
});

describe("tutorial Step 5.1 on a real API server", () => {
    it("the checker predicts the head Pod's refusal", () => {
        expect(predicted.evaluated && predicted.pods[0].allowed).toBe(false);
    });

    it("the RayCluster is accepted, but its ReplicaFailure condition carries the API server's refusal, word for word the checker's", async () => {
        const failure = await replicaFailure(custom, E2E_NAMESPACE, name);
        expect(failure.reason).toBe("FailedCreateHeadPod");
        const match = /pods "([^"]*)" is forbidden: (.*)$/s.exec(failure.message);
        expect(match, failure.message).not.toBeNull();
        expect(match![1]).toMatch(new RegExp(`^${name}-head-[a-z0-9]{5}$`));
        expect(match![2]).toBe(predicted.evaluated ? predicted.pods[0].message : "");
    });

    it("no Pod of it exists", async () => {
        const pods = await core.listNamespacedPod({ namespace: E2E_NAMESPACE, labelSelector: `ray.io/cluster=${name}` });
        expect(pods.items).toEqual([]);
    });

    it("the audit log records the refusal with the same text, and verify's reader finds it", async () => {
        const summary = await eventually("refusal in the audit log", async () => {
            const scanned = await readAuditLogFile(inject("controlPlane").auditLogPath, E2E_NAMESPACE);
            return scanned.violations.some((v) => v.pod.startsWith(`${name}-head-`)) ? scanned : undefined;
        });
        const refusal = summary.violations.find((v) => v.pod.startsWith(`${name}-head-`))!;
        expect(refusal).toMatchObject({ namespace: E2E_NAMESPACE, verb: "create", decision: "refused", policy: "restricted:latest" });
        expect(refusal.message).toBe(predicted.evaluated ? predicted.pods[0].message : "");
        // Nothing else in the namespace was refused (program.e2e.test.ts checks its own Pods were admitted clean).
        expect(summary.violations.filter((v) => !v.pod.startsWith(name))).toEqual([]);
        expect(summary.events).toBeGreaterThan(0);
    });

    it("`npm run verify` on this Step 5.1 cluster finds the refusal: RayCluster, Pods and audit fail, job and pip not run", async () => {
        const { kubeconfigPath, auditLogPath } = inject("controlPlane");
        const target = { kubeconfig: fs.readFileSync(kubeconfigPath, "utf8"), namespace: E2E_NAMESPACE, rayClusterName: name };
        const report = await runVerify(target, { timeoutSeconds: 60 }, await connect(target, [auditLogPath], () => undefined));
        expect(report.checks.map((check) => [check.id, check.status])).toEqual([
            ["raycluster", "failed"],
            ["pods", "failed"],
            ["audit", "failed"],
            ["job", "skipped"],
            ["pip", "skipped"],
        ]);
        // The operator's ReplicaFailure, with the API server's words — the checker's, word for word.
        expect(report.checks[0].summary).toContain(predicted.evaluated ? predicted.pods[0].message : "?");
        expect(report.checks[0].summary).toMatch(/^ReplicaFailure \(FailedCreateHeadPod\): pods "raycluster-complete-head-[a-z0-9]{5}" is forbidden: /);
        expect(reportOk(report)).toBe(false);
        console.log(renderChecklist(report));
    });

    it("`verify audit` on the real log prints the documented JSON and exits 1", async () => {
        let stdout = "";
        const code = await runAuditCommand(["--file", inject("controlPlane").auditLogPath, "--namespace", E2E_NAMESPACE, "--json"], {
            stdout: (text) => (stdout += text),
            stderr: () => undefined,
        });
        expect(code).toBe(1);
        const report = JSON.parse(stdout);
        expect(Object.keys(report)).toEqual(["ok", "namespace", "files", "events", "skipped", "podRequests", "podRequestsByNamespace", "problem", "violations"]);
        expect(report.podRequests).toBeGreaterThan(0);
        expect(report.skipped).toBe(0);
        expect(Object.keys(report.violations[0])).toEqual(["time", "pod", "namespace", "verb", "decision", "policy", "message"]);
        expect(report.violations.every((v: { decision: string }) => v.decision === "refused")).toBe(true);
    });
});
