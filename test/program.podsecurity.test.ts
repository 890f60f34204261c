import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it, vi } from "vitest";
import { runProgram } from "./helpers/program";
import { cliConfig } from "./helpers/stackConfig";

const STEP_5_1 = { "kuberay-pod-security:ray": { variant: "complete", clusterName: "raycluster-complete" } };

async function run(overrides: Record<string, unknown>) {
    vi.resetModules();
    const warnings: string[] = [];
    const warn = vi.spyOn(pulumi.log, "warn").mockImplementation(async (message: string) => {
        warnings.push(message);
    });
    try {
        const result = await runProgram("dev", cliConfig("dev", overrides)).then(
            (program) => ({ program, error: undefined }),
            (error: unknown) => ({ program: undefined, error }),
        );
        const registered = [...(pulumi.runtime.getMonitor() as any).resources.keys()];
        return { ...result, warnings, registered };
    } finally {
        warn.mockRestore();
    }
}

describe("the program checks its RayCluster's Pods before declaring anything", () => {
    it("the hardened cluster passes silently", async () => {
        const { error, warnings, program } = await run({});
        expect(error).toBeUndefined();
        expect(warnings).toEqual([]);
        expect(program!.find("kubernetes:ray.io/v1:RayCluster").inputs.metadata.annotations).toHaveProperty(["pulumi.com/waitFor"]);
    });

    it("Step 5.1's cluster stops preview with the API server's words, nothing declared", async () => {
        const { error, registered } = await run(STEP_5_1);
        expect(pulumi.RunError.isInstance(error)).toBe(true);
        const lines = (error as Error).message.split("\n");
        expect(lines[0]).toBe(
            'RayCluster "raycluster-complete" would have its Pods refused in namespace "pod-security" (the API server never checks a RayCluster itself: the operator\'s Pods would just not appear):',
        );
        expect(lines[1]).toMatch(/^ {2}head Pod: violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false \(container "ray-head" must set securityContext\.allowPrivilegeEscalation=false\), /);
        expect(lines[2]).toMatch(/^ {2}worker\/small-group Pod: violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false \(containers "wait-gcs-ready", "ray-worker"/);
        expect(lines[3]).toBe("Harden those containers, or set podSecurity.failOnViolation to false to deploy it anyway (tutorial Step 5.1).");
        expect(registered).toEqual([]);
    });

    it("with failOnViolation false it deploys Step 5.1's cluster with a warning, without waiting for readiness", async () => {
        const { error, warnings, program } = await run({ ...STEP_5_1, "kuberay-pod-security:podSecurity": { failOnViolation: false } });
        expect(error).toBeUndefined();
        expect(warnings).toHaveLength(1);
        expect(warnings[0]).toContain("head Pod: violates PodSecurity");
        expect(warnings[0]).toContain("Deploying it anyway (podSecurity.failOnViolation is false)");
        const rayCluster = program!.find("kubernetes:ray.io/v1:RayCluster").inputs;
        expect(rayCluster.metadata.annotations).toBeUndefined();
        expect(rayCluster.spec.headGroupSpec.template.spec.containers[0]).not.toHaveProperty("securityContext");
    });

    it("evaluates against the namespace's own level: Step 5.1's cluster is fine under baseline", async () => {
        const { error, warnings } = await run({ ...STEP_5_1, "kuberay-pod-security:podSecurity": { level: "baseline" } });
        expect(error).toBeUndefined();
        expect(warnings).toEqual([]);
    });
});
