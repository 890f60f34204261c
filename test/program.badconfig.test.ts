import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it, vi } from "vitest";
import { runProgram } from "./helpers/program";
import { cliConfig } from "./helpers/stackConfig";

async function failingRun(overrides: Record<string, unknown>) {
    vi.resetModules();
    const registrations: string[] = [];
    const error = await runProgram("dev", cliConfig("dev", overrides)).then(
        () => undefined,
        (e: unknown) => e,
    );
    registrations.push(...(pulumi.runtime.getMonitor() as any).resources.keys());
    return { error, registrations };
}

describe("bad configuration stops the program before anything is declared", () => {
    it("with a RunError (printed without a stack trace) naming key, value and what is allowed", async () => {
        const { error, registrations } = await failingRun({ "kuberay-pod-security:ray": { workerGroups: [{ name: "small-group", replicas: -1 }] } });
        expect(pulumi.RunError.isInstance(error)).toBe(true);
        expect((error as Error).message).toBe('Configuration "ray.workerGroups[0].replicas": -1 is not allowed; it must be a whole number >= 0.');
        expect(registrations).toEqual([]);
    });

    it("checking a local chart on the disk: its Chart.yaml must be the configured version", async () => {
        const chart = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "krps-chart-")), "kuberay-operator");
        fs.mkdirSync(chart);
        fs.writeFileSync(path.join(chart, "Chart.yaml"), "apiVersion: v2\nname: kuberay-operator\nversion: 1.6.0\n");
        const { error, registrations } = await failingRun({ "kuberay-pod-security:operator": { chartPath: chart } });
        expect(pulumi.RunError.isInstance(error)).toBe(true);
        expect((error as Error).message).toBe(
            `Configuration "operator.chartPath": "${chart}" is not allowed; it must be the kuberay-operator chart at operator.chartVersion "1.7.0" (${chart}/Chart.yaml has version "1.6.0"; set operator.chartVersion to "1.6.0" to use this chart).`,
        );
        expect(registrations).toEqual([]);
    });

    it("listing every problem when there are several", async () => {
        const { error, registrations } = await failingRun({
            "kuberay-pod-security:podSecurity": { level: "strict" },
            "kuberay-pod-security:namespace": "",
        });
        expect((error as Error).message.split("\n")).toEqual([
            `Configuration "namespace": "" is not allowed; it must be a Kubernetes name: lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters.`,
            'Configuration "podSecurity.level": "strict" is not allowed; it must be one of "privileged", "baseline", "restricted".',
        ]);
        expect(registrations).toEqual([]);
    });
});
