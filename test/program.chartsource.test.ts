import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { Registration, runProgram } from "./helpers/program";
import { testDataPath } from "./support/testData";
import { cliConfig } from "./helpers/stackConfig";

/** The operator's Chart as the dev stack declares it with these operator.* settings, and the render of its CRDs. */
async function operatorChart(operator: Record<string, unknown>): Promise<{ chart: Registration; template: Record<string, unknown> }> {
    vi.resetModules();
    const run = await runProgram("dev", cliConfig("dev", { "kuberay-pod-security:operator": operator }));
    const [template] = run.invocations.filter((invocation) => invocation.token === "kubernetes:helm:template");
    return { chart: run.find("kubernetes:helm.sh/v4:Chart"), template: JSON.parse(template.inputs.jsonOpts) };
}

/**
 * The inputs that say which chart to render; namespace and values are the same whatever the source, the CRDs
 * are the CRD set's. The CRDs are rendered from the same source by the provider's template invoke (helm.v3's
 * option names).
 */
async function sourceOf(operator: Record<string, unknown>): Promise<Record<string, unknown>> {
    const { chart, template } = await operatorChart(operator);
    const { namespace, values, skipCrds, ...source } = chart.inputs;
    expect(namespace).toBe("pod-security");
    expect(values.singleNamespaceInstall).toBe(true);
    expect(skipCrds).toBe(true);
    const { namespace: templateNamespace, release_name, values: templateValues, path: templatePath, fetch_opts, ...templateSource } = template as Record<string, any>;
    expect([templateNamespace, release_name, templateValues]).toEqual(["pod-security", "kuberay-operator", {}]);
    const rendered = templatePath !== undefined ? { chart: templatePath } : { ...templateSource, ...(fetch_opts ? { repositoryOpts: { repo: fetch_opts.repo } } : {}) };
    expect(rendered).toEqual(source);
    return source;
}

let charts: string;

beforeAll(() => {
    // Real files: these runs go through fromPulumi.ts, whose checks read the disk.
    charts = fs.mkdtempSync(path.join(os.tmpdir(), "krps-charts-"));
    fs.mkdirSync(path.join(charts, "kuberay-operator"));
    fs.writeFileSync(path.join(charts, "kuberay-operator", "Chart.yaml"), "apiVersion: v2\nname: kuberay-operator\nversion: 1.7.0\n");
    fs.writeFileSync(path.join(charts, "kuberay-operator-1.7.0.tgz"), "");
});

describe("where the operator chart comes from, under mocks", () => {
    it("by default: the chart by name in the KubeRay repository, at the pinned version", async () => {
        expect(await sourceOf({})).toEqual({
            chart: "kuberay-operator",
            version: "1.7.0",
            repositoryOpts: { repo: "https://ray-project.github.io/kuberay-helm/" },
        });
    });

    it("a repository mirror: the same chart and version from the mirror", async () => {
        const repo = "https://nexus.example.com/repository/kuberay-helm/";
        expect(await sourceOf({ chartRepository: repo })).toEqual({ chart: "kuberay-operator", version: "1.7.0", repositoryOpts: { repo } });
    });

    it("an OCI registry: the chart by reference, without repositoryOpts", async () => {
        expect(await sourceOf({ chartRepository: "oci://registry.example.com/charts" })).toEqual({
            chart: "oci://registry.example.com/charts/kuberay-operator",
            version: "1.7.0",
        });
    });

    it("a chart directory, given relative to the project: its absolute path alone", async () => {
        const relative = path.relative(process.cwd(), path.join(charts, "kuberay-operator"));
        expect(path.isAbsolute(relative)).toBe(false);
        expect(await sourceOf({ chartPath: relative })).toEqual({ chart: path.join(charts, "kuberay-operator") });
    });

    it("the real chart directory (the copy of what the KubeRay repository serves as 1.7.0) passes the checks", async () => {
        const real = testDataPath("kuberay-v1.7.0/helm-chart/kuberay-operator");
        expect(await sourceOf({ chartPath: real })).toEqual({ chart: real });
    });

    it("a packaged chart: its path alone", async () => {
        const tgz = path.join(charts, "kuberay-operator-1.7.0.tgz");
        expect(await sourceOf({ chartPath: tgz })).toEqual({ chart: tgz });
    });
});
