/**
 * Client-side helpers for any suite's tests on the harness's control plane (the one its globalSetup provides as
 * `controlPlane`): API clients, namespaces, and polling.
 */

import * as k8s from "@kubernetes/client-node";
import { inject } from "vitest";
import { eventually } from "../eventually";

export { eventually };

export function clients() {
    const kubeConfig = new k8s.KubeConfig();
    kubeConfig.loadFromFile(inject("controlPlane").kubeconfigPath);
    return {
        kubeConfig,
        core: kubeConfig.makeApiClient(k8s.CoreV1Api),
        custom: kubeConfig.makeApiClient(k8s.CustomObjectsApi),
    };
}

/**
 * Creates a namespace with labels, unless another test file already made it, and waits for its default
 * ServiceAccount (Pods need it). Test files may run in any order.
 */
export async function createNamespace(core: k8s.CoreV1Api, name: string, labels: Record<string, string>): Promise<void> {
    try {
        await core.createNamespace({ body: { metadata: { name, labels } } });
    } catch (error) {
        if ((error as { code?: number }).code !== 409) throw error;
        const existing = await core.readNamespace({ name });
        const differing = Object.entries(labels).filter(([key, value]) => existing.metadata?.labels?.[key] !== value);
        if (differing.length > 0) throw new Error(`namespace ${name} exists with other labels: ${JSON.stringify(existing.metadata?.labels)}`);
    }
    await eventually(`ServiceAccount default in ${name}`, async () => (await core.readNamespacedServiceAccount({ name: "default", namespace: name })) ?? undefined);
}
