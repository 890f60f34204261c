/**
 * namespaceMode under mocks: `create` declares the namespace; `adopt` reads the existing one and applies only
 * the Pod Security labels with a NamespacePatch (server-side apply, removed at destroy). Everything else takes
 * the namespace's name from the component either way. Kubernetes' own namespaces are refused before anything
 * is declared.
 */

import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { ProgramRun, Registration, runProgram } from "./helpers/program";
import { cliConfig } from "./helpers/stackConfig";

const LABELS = {
    "pod-security.kubernetes.io/enforce": "restricted",
    "pod-security.kubernetes.io/enforce-version": "latest",
    "pod-security.kubernetes.io/audit": "restricted",
    "pod-security.kubernetes.io/audit-version": "latest",
    "pod-security.kubernetes.io/warn": "restricted",
    "pod-security.kubernetes.io/warn-version": "latest",
};

let kubeconfig: string;

beforeAll(() => {
    kubeconfig = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "krps-ns-")), "config");
    fs.writeFileSync(kubeconfig, "apiVersion: v1\nkind: Config\ncurrent-context: staging\n");
});

/** The shipped existing stack (namespace ray-restricted), with namespaceMode and other settings over it. */
async function existingStack(overrides: Record<string, unknown> = {}): Promise<ProgramRun> {
    vi.resetModules();
    return runProgram("existing", cliConfig("existing", { "kuberay-pod-security:cluster": { kubeconfig }, ...overrides }));
}

const namespaceResources = (run: ProgramRun): Registration[] => run.registrations.filter((r) => r.type.startsWith("kubernetes:core/v1:Namespace"));

/** Where every namespaced resource of the program goes. */
function namespacesUsed(run: ProgramRun): Record<string, unknown> {
    return {
        chart: run.find("kubernetes:helm.sh/v4:Chart").inputs.namespace,
        configMap: run.find("kubernetes:core/v1:ConfigMap").inputs.metadata.namespace,
        rayCluster: run.find("kubernetes:ray.io/v1:RayCluster").inputs.metadata.namespace,
        output: run.outputs.namespace,
    };
}

describe("namespaceMode create (the default)", () => {
    it("declares the namespace with the six Pod Security labels, and nothing else touches namespaces", async () => {
        const run = await existingStack();
        expect(namespaceResources(run)).toEqual([expect.objectContaining({ type: "kubernetes:core/v1:Namespace", name: "namespace", custom: true, parentType: "kuberay-pod-security:index:PodSecurityNamespace" })]);
        const namespace = run.find("kubernetes:core/v1:Namespace", "namespace");
        expect(namespace.readId).toBeUndefined();
        expect(namespace.inputs.metadata).toEqual({ name: "ray-restricted", labels: LABELS });
        expect(namespacesUsed(run)).toEqual({ chart: "ray-restricted", configMap: "ray-restricted", rayCluster: "ray-restricted", output: "ray-restricted" });
    });
});

describe("namespaceMode adopt", () => {
    let run: ProgramRun;
    beforeAll(async () => {
        run = await existingStack({ "kuberay-pod-security:namespaceMode": "adopt", "kuberay-pod-security:namespace": "team-ml" });
    });

    it("creates no Namespace: it reads the existing one, which fails at preview if it is absent", () => {
        const reads = namespaceResources(run).filter((r) => r.type === "kubernetes:core/v1:Namespace");
        expect(reads).toHaveLength(1);
        expect(reads[0]).toMatchObject({ name: "namespace-to-adopt", readId: "team-ml", parentType: "kuberay-pod-security:index:PodSecurityNamespace" });
        expect(reads[0].provider).toMatch(/::pulumi:providers:kubernetes::k8s::k8s-id$/);
    });

    it("applies only the six Pod Security labels to it, with a NamespacePatch (server-side apply of those fields alone)", () => {
        const patch = run.find("kubernetes:core/v1:NamespacePatch", "namespace");
        expect(patch.readId).toBeUndefined();
        expect(patch.parentType).toBe("kuberay-pod-security:index:PodSecurityNamespace");
        expect(patch.provider).toMatch(/::pulumi:providers:kubernetes::k8s::k8s-id$/);
        // No spec, no other label or annotation, no patchForce: someone else's labels are theirs.
        expect(patch.inputs).toEqual({ apiVersion: "v1", kind: "Namespace", metadata: { name: "team-ml", labels: LABELS } });
    });

    it("takes the level and version from podSecurity", async () => {
        const baseline = await existingStack({ "kuberay-pod-security:namespaceMode": "adopt", "kuberay-pod-security:podSecurity": { level: "baseline", version: "v1.30" } });
        expect(baseline.find("kubernetes:core/v1:NamespacePatch").inputs.metadata.labels).toEqual({
            "pod-security.kubernetes.io/enforce": "baseline",
            "pod-security.kubernetes.io/enforce-version": "v1.30",
            "pod-security.kubernetes.io/audit": "baseline",
            "pod-security.kubernetes.io/audit-version": "v1.30",
            "pod-security.kubernetes.io/warn": "baseline",
            "pod-security.kubernetes.io/warn-version": "v1.30",
        });
    });

    it("puts the operator, the ConfigMap and the RayCluster in the adopted namespace, and exports it", () => {
        expect(namespacesUsed(run)).toEqual({ chart: "team-ml", configMap: "team-ml", rayCluster: "team-ml", output: "team-ml" });
        expect(run.outputs.dashboardPortForwardCommand).toContain("port-forward -n team-ml svc/");
    });
});

describe("namespaces the program refuses, before anything is declared", () => {
    async function failingRun(stack: "dev" | "existing", overrides: Record<string, unknown>) {
        vi.resetModules();
        const base = stack === "existing" ? { "kuberay-pod-security:cluster": { kubeconfig } } : {};
        const error = await runProgram(stack, cliConfig(stack, { ...base, ...overrides })).then(
            () => undefined,
            (e: unknown) => e,
        );
        const registrations = [...(pulumi.runtime.getMonitor() as unknown as { resources: Map<string, unknown> }).resources.keys()];
        return { error, registrations };
    }

    const SYSTEM = (namespace: string) =>
        `Configuration "namespace": "${namespace}" is not allowed; it must be a namespace of your own, not one Kubernetes keeps for itself (default, kube-node-lease, kube-public, kube-system): the program labels its namespace to enforce a Pod Security level, which would apply to the cluster's own Pods there too.`;

    it.each([
        ["dev", "kube-system", "create"],
        ["dev", "default", "create"],
        ["existing", "kube-public", "create"],
        ["existing", "kube-node-lease", "adopt"],
        ["existing", "kube-system", "adopt"],
    ] as const)("%s stack, namespace %s (%s)", async (stack, namespace, namespaceMode) => {
        const { error, registrations } = await failingRun(stack, { "kuberay-pod-security:namespace": namespace, "kuberay-pod-security:namespaceMode": namespaceMode });
        expect(pulumi.RunError.isInstance(error)).toBe(true);
        expect((error as Error).message).toBe(SYSTEM(namespace));
        expect(registrations).toEqual([]);
    });

    it("adopt on the stack's own kind cluster", async () => {
        const { error, registrations } = await failingRun("dev", { "kuberay-pod-security:namespaceMode": "adopt" });
        expect((error as Error).message).toBe(
            'Configuration "namespaceMode": "adopt" is not allowed; it must be "create" when cluster.mode is "kind" (the stack\'s own kind cluster has no namespace to adopt; "adopt" is for cluster.mode "existing").',
        );
        expect(registrations).toEqual([]);
    });

    it("a mode that does not exist", async () => {
        const { error } = await failingRun("existing", { "kuberay-pod-security:namespaceMode": "import" });
        expect((error as Error).message).toBe(
            'Configuration "namespaceMode": "import" is not allowed; it must be "create" (the stack creates the namespace and deletes it at pulumi destroy) or "adopt" (the namespace exists already: the stack only applies the Pod Security labels to it, and removes just those at pulumi destroy).',
        );
    });
});
