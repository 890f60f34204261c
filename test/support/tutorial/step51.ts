/** The tutorial's Step 5.1 RayCluster (ray-cluster.complete.yaml, no securityContext), with Ray updated to the program's version. */

import * as fs from "fs";
import type * as k8s from "@kubernetes/client-node";
import { parse } from "yaml";
import { eventually } from "../eventually";
import { sharedPath } from "../shared";
import { DEFAULT_RAY_VERSION } from "../../../model/ray";

export function step51Manifest(): any {
    const manifest = parse(fs.readFileSync(sharedPath("reference/kuberay-v1.3.2/ray-cluster.complete.yaml"), "utf8"));
    manifest.spec.rayVersion = DEFAULT_RAY_VERSION;
    for (const template of [manifest.spec.headGroupSpec.template, ...manifest.spec.workerGroupSpecs.map((g: any) => g.template)]) {
        template.spec.containers[0].image = `rayproject/ray:${DEFAULT_RAY_VERSION}`;
    }
    return manifest;
}

/** The RayCluster's ReplicaFailure condition once the operator has set it (the refusal of its Pods). */
export function replicaFailure(custom: k8s.CustomObjectsApi, namespace: string, name: string): Promise<{ reason: string; message: string }> {
    return eventually("ReplicaFailure condition", async () => {
        const object = (await custom.getNamespacedCustomObject({ group: "ray.io", version: "v1", namespace, plural: "rayclusters", name })) as { status?: { conditions?: Array<{ type: string; status: string; reason: string; message: string }> } };
        return object.status?.conditions?.find((c) => c.type === "ReplicaFailure" && c.status === "True");
    });
}
