import { KUBERAY_CHART } from "../../model/kuberay/chart";

/** Where the kuberay-operator chart comes from, as configured (validated by loadStackConfig). */
export interface ChartLocation {
    /** Chart version; for a local chart, the version its Chart.yaml was checked to have. */
    chartVersion: string;
    /** A Helm chart repository (`http(s)://`) or OCI registry (`oci://`) URL; unused when chartPath is set. */
    chartRepository: string;
    /** Absolute path of a local chart directory or `.tgz`; undefined: fetch from chartRepository. */
    chartPath?: string;
}

/** The part of `helm.v4.ChartArgs` that says which chart to render. */
export interface ChartSource {
    chart: string;
    version?: string;
    repositoryOpts?: { repo: string };
}

/**
 * The `chart` / `version` / `repositoryOpts` fragment of the operator's Chart for a chart location, in the
 * three forms helm.v4.Chart documents: a local path, an OCI reference, a chart name in a repository.
 */
export function chartSource(location: ChartLocation): ChartSource {
    if (location.chartPath !== undefined) {
        // Helm ignores `version` for a local chart (LocateChart returns the path as is), so none is passed:
        // it would read as a constraint nobody checks. The configuration checked the directory's Chart.yaml.
        return { chart: location.chartPath };
    }
    if (location.chartRepository.startsWith("oci://")) {
        // Helm has no index for a registry: the chart is addressed as <registry>/<path>/<name>, not through
        // repositoryOpts.repo (which Helm reads as an index.yaml repository).
        return { chart: `${location.chartRepository.replace(/\/+$/, "")}/${KUBERAY_CHART}`, version: location.chartVersion };
    }
    return { chart: KUBERAY_CHART, version: location.chartVersion, repositoryOpts: { repo: location.chartRepository } };
}

/** The options of the provider's `kubernetes:helm:template` invoke (helm.v3's) for the same chart: its CRDs are rendered with it. */
export function helmTemplateOptions(location: ChartLocation, namespace: string, releaseName: string): Record<string, unknown> {
    const source = chartSource(location);
    const common = { namespace, release_name: releaseName, values: {} };
    if (location.chartPath !== undefined) return { ...common, path: source.chart };
    return { ...common, chart: source.chart, version: source.version, ...(source.repositoryOpts ? { fetch_opts: { repo: source.repositoryOpts.repo } } : {}) };
}
