/**
 * Validation of `operator.chartRepository` and `operator.chartPath`: where the kuberay-operator chart comes
 * from — the KubeRay repository, a mirror of it, or a chart on disk for a machine without access to either.
 */

import * as path from "path";
import { parse } from "yaml";
import { CHART_REPOSITORY_RULE, isChartRepositoryUrl } from "./formats";
import { show } from "./problems";
import { ConfigReader } from "./reader";
import { DEFAULT_CHART_REPOSITORY, KUBERAY_CHART } from "../model/kuberay/chart";
import { isSemver } from "../lib/versions";
import { type ConfigEnvironment } from "./environment";

export interface OperatorChartConfig {
    /** Helm chart repository or OCI registry URL; unused when chartPath is set. */
    chartRepository: string;
    /** Absolute path of a local chart directory or `.tgz`; undefined: fetch from chartRepository. */
    chartPath?: string;
}

const CHART_PATH_RULE = `the path of a ${KUBERAY_CHART} chart: a chart directory holding Chart.yaml, or a packaged chart ending in .tgz`;

/** Reads both keys; `chartVersion` is operator.chartVersion, which a chart directory's Chart.yaml must match. */
export function readOperatorChart(read: ConfigReader, env: ConfigEnvironment, chartVersion: string): OperatorChartConfig {
    const chartRepository = read.string("operator.chartRepository");
    if (!isChartRepositoryUrl(chartRepository)) {
        read.problems.invalid("operator.chartRepository", chartRepository, CHART_REPOSITORY_RULE);
    }
    const configuredPath = read.string("operator.chartPath");
    if (configuredPath === "") {
        return { chartRepository, chartPath: undefined };
    }
    // The CLI always supplies Pulumi.yaml's default, so "set" can only mean "changed from the default".
    if (chartRepository !== DEFAULT_CHART_REPOSITORY) {
        read.problems.add(
            `Configuration "operator.chartPath" (${show(configuredPath)}) and "operator.chartRepository" (${show(chartRepository)}) are both set; ` +
                "set only one: operator.chartPath for a chart on disk, or operator.chartRepository for a chart repository or registry.",
        );
    }
    const chartPath = env.resolvePath(configuredPath);
    const why = chartPathProblem(chartPath, env, chartVersion);
    if (why !== undefined) {
        read.problems.invalid("operator.chartPath", configuredPath, why);
    }
    return { chartRepository, chartPath };
}

/** What is wrong with the chart at `chartPath` (as the text after "it must be"), or undefined. */
function chartPathProblem(chartPath: string, env: ConfigEnvironment, chartVersion: string): string | undefined {
    if (env.isDirectory?.(chartPath)) {
        return chartDirectoryProblem(path.join(chartPath, "Chart.yaml"), env, chartVersion);
    }
    if (env.isReadableFile(chartPath)) {
        // A packaged chart is only opened by Helm; its name and version are Helm's to check at preview.
        return chartPath.endsWith(".tgz") ? undefined : `${CHART_PATH_RULE} (${chartPath} is a file whose name does not end in .tgz)`;
    }
    return `${CHART_PATH_RULE} (${chartPath} is neither a directory nor a readable file)`;
}

/** A chart directory must be the kuberay-operator chart at operator.chartVersion: Helm ignores `version` for a local chart. */
function chartDirectoryProblem(chartYaml: string, env: ConfigEnvironment, chartVersion: string): string | undefined {
    const text = env.readFile?.(chartYaml);
    if (text === undefined) {
        return `${CHART_PATH_RULE} (${chartYaml} is not readable)`;
    }
    let metadata: unknown;
    try {
        metadata = parse(text);
    } catch {
        return `${CHART_PATH_RULE} (${chartYaml} is not valid YAML)`;
    }
    const { name, version } = (typeof metadata === "object" && metadata !== null ? metadata : {}) as { name?: unknown; version?: unknown };
    if (name !== KUBERAY_CHART) {
        return `${CHART_PATH_RULE} (${chartYaml} has ${name === undefined ? "no name" : `name ${show(name)}`})`;
    }
    // A malformed operator.chartVersion has its own message; comparing with it would only repeat it.
    if (isSemver(chartVersion) && String(version) !== chartVersion) {
        const found = version === undefined ? "no version" : `version ${show(String(version))}`;
        const fix = version === undefined ? "" : `; set operator.chartVersion to ${show(String(version))} to use this chart`;
        return `the ${KUBERAY_CHART} chart at operator.chartVersion ${show(chartVersion)} (${chartYaml} has ${found}${fix})`;
    }
    return undefined;
}
