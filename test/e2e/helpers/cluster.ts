/** Client-side helpers for the e2e tests: API clients for the suite's control plane, and polling. */

import * as k8s from "@kubernetes/client-node";
import { inject } from "vitest";

export function clients() {
    const kubeConfig = new k8s.KubeConfig();
    kubeConfig.loadFromFile(inject("controlPlane").kubeconfigPath);
    return {
        kubeConfig,
        core: kubeConfig.makeApiClient(k8s.CoreV1Api),
        custom: kubeConfig.makeApiClient(k8s.CustomObjectsApi),
    };
}

/** Polls `probe` every 250 ms until it returns a value other than undefined. */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 90_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let last: unknown;
    while (Date.now() < deadline) {
        try {
            const value = await probe();
            if (value !== undefined) {
                return value;
            }
        } catch (error) {
            last = error;
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ""}`);
}

/** Creates a namespace with labels and waits for its default ServiceAccount (Pods need it). */
export async function createNamespace(core: k8s.CoreV1Api, name: string, labels: Record<string, string>): Promise<void> {
    await core.createNamespace({ body: { metadata: { name, labels } } });
    await eventually(`ServiceAccount default in ${name}`, async () => (await core.readNamespacedServiceAccount({ name: "default", namespace: name })) ?? undefined);
}
