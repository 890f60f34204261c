/**
 * The program's own namespace, ConfigMap and hardened RayCluster, built by its own builders, applied to a
 * real API server enforcing `restricted`: the operator's Pods are admitted, reach Running, the RayCluster
 * gets ready, and the audit log records their creation with no Pod Security violation.
 */

import * as fs from "fs";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { loadStackConfig } from "../../config/stackConfig";
import { podSecurityLabels } from "../../components/namespace/labels";
import { buildExampleConfigMap } from "../../components/raycluster/rayClusterSpec";
import { SecureRayCluster } from "../../components/raycluster/secureRayCluster";
import { clients, createNamespace, eventually } from "../support/harness/cluster";
import { E2E_NAMESPACE } from "../support/harness/names";
import { EXAMPLE_CONFIGMAP_NAME } from "../../model/ray";
import { rayClusterPlan } from "../../program/plan";

const { core, custom } = clients();
// The dev stack's configuration, defaults and all, as the program reads it.
const config = loadStackConfig({}, { stack: "e2e", resolvePath: (p) => p, isReadableFile: () => false });
const plan = rayClusterPlan({ ...config, namespace: E2E_NAMESPACE });
const manifest = SecureRayCluster.manifest(plan);
const name = manifest.metadata.name!;

beforeAll(async () => {
    await createNamespace(core, E2E_NAMESPACE, podSecurityLabels(config.podSecurity.level, config.podSecurity.version));
    // (createNamespace tolerates step5-1.e2e.test.ts having made it first, with the same labels.)
    await core.createNamespacedConfigMap({ namespace: E2E_NAMESPACE, body: buildExampleConfigMap(EXAMPLE_CONFIGMAP_NAME) as any });
    await custom.createNamespacedCustomObject({ group: "ray.io", version: "v1", namespace: E2E_NAMESPACE, plural: "rayclusters", body: manifest });
});

describe("the program's hardened RayCluster on a real API server", () => {
    it("is admitted: the operator creates the head and one worker Pod, and they reach Running", async () => {
        const pods = await eventually("head and worker Pods Running", async () => {
            const list = await core.listNamespacedPod({ namespace: E2E_NAMESPACE, labelSelector: `ray.io/cluster=${name}` });
            const running = list.items.filter((pod) => pod.status?.phase === "Running");
            return running.length === 2 ? running : undefined;
        });
        expect(pods.map((pod) => pod.metadata?.labels?.["ray.io/node-type"]).sort()).toEqual(["head", "worker"]);
        const worker = pods.find((pod) => pod.metadata?.labels?.["ray.io/node-type"] === "worker")!;
        // The operator injected wait-gcs-ready with the Ray container's hardened securityContext.
        expect(worker.spec?.initContainers?.map((c) => [c.name, c.securityContext?.allowPrivilegeEscalation])).toEqual([["wait-gcs-ready", false]]);
    });

    it("becomes ready: status.state and the RayClusterProvisioned condition Pulumi waits for", async () => {
        const status = await eventually("RayCluster ready", async () => {
            const object = (await custom.getNamespacedCustomObject({ group: "ray.io", version: "v1", namespace: E2E_NAMESPACE, plural: "rayclusters", name })) as any;
            return object.status?.state === "ready" ? object.status : undefined;
        });
        expect(status.conditions.find((c: any) => c.type === "RayClusterProvisioned")?.status).toBe("True");
        expect(status.conditions.find((c: any) => c.type === "ReplicaFailure")).toBeUndefined();
    });

    it("leaves an audit log of the Pods' creation with no Pod Security violation", async () => {
        const events = await eventually("audit events for the RayCluster's Pods", async () => {
            const lines = fs.readFileSync(inject("controlPlane").auditLogPath, "utf8").trim().split("\n").map((line) => JSON.parse(line));
            // A generateName'd create is logged before the name exists: count the namespace's admitted creates
            // (only the operator creates Pods here, and Step 5.1's are refused, not admitted).
            const admitted = lines.filter((e) => e.verb === "create" && e.objectRef?.resource === "pods" && e.objectRef?.namespace === E2E_NAMESPACE && e.responseStatus?.code === 201 && e.stage === "ResponseComplete");
            return admitted.length >= 2 ? admitted : undefined;
        });
        for (const event of events) {
            expect(event.annotations["pod-security.kubernetes.io/enforce-policy"]).toBe("restricted:latest");
            expect(event.annotations).not.toHaveProperty(["pod-security.kubernetes.io/audit-violations"]);
            expect(event.level).toBe("Metadata");
        }
    });
});
