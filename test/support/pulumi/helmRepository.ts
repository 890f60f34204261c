/**
 * A Helm chart repository on loopback serving the vendored kuberay-operator chart, so that the program fetches
 * its chart the way it does by default — `index.yaml`, then the packaged `.tgz` it names — only from a mirror's
 * URL (`operator.chartRepository`). Every request is recorded; any path outside the repository answers 404.
 */

import { execFileSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as http from "http";
import * as os from "os";
import * as path from "path";
import { parse, stringify } from "yaml";

export interface HelmRepository {
    /** The repository URL, e.g. http://127.0.0.1:41234/charts/ */
    url: string;
    /** A URL on the same server where no repository is (every request answers 404). */
    missingUrl: string;
    /** Request paths served so far, with their status. */
    requests: Array<{ path: string; status: number }>;
    close(): Promise<void>;
}

interface ChartMetadata {
    name: string;
    version: string;
    appVersion?: string;
    description?: string;
    apiVersion: string;
}

/** Packages each chart as Helm does (a gzipped tar whose top folder is the chart's name) and writes index.yaml. */
export function buildRepository(chartDirs: string[], outDir: string): { index: string; archives: string[] } {
    const entries: Record<string, object[]> = {};
    const created = new Date().toISOString();
    const archives = chartDirs.map((chartDir) => {
        const { chart, entry, archive } = packageChart(chartDir, outDir, created);
        (entries[chart] ??= []).push(entry);
        return archive;
    });
    fs.writeFileSync(path.join(outDir, "index.yaml"), stringify({ apiVersion: "v1", entries, generated: created }));
    return { index: path.join(outDir, "index.yaml"), archives };
}

function packageChart(chartDir: string, outDir: string, created: string): { chart: string; entry: object; archive: string } {
    const chart = parse(fs.readFileSync(path.join(chartDir, "Chart.yaml"), "utf8")) as ChartMetadata;
    const archiveName = `${chart.name}-${chart.version}.tgz`;
    const staging = fs.mkdtempSync(path.join(os.tmpdir(), "krps-chart-"));
    try {
        fs.cpSync(chartDir, path.join(staging, chart.name), { recursive: true });
        execFileSync("tar", ["-czf", path.join(outDir, archiveName), "-C", staging, "--owner=0", "--group=0", chart.name]);
    } finally {
        fs.rmSync(staging, { recursive: true, force: true });
    }
    const digest = createHash("sha256").update(fs.readFileSync(path.join(outDir, archiveName))).digest("hex");
    const entry = {
        apiVersion: chart.apiVersion,
        name: chart.name,
        version: chart.version,
        ...(chart.appVersion ? { appVersion: chart.appVersion } : {}),
        ...(chart.description ? { description: chart.description } : {}),
        created,
        digest,
        // Relative: Helm resolves it against the repository URL, whatever port serves it.
        urls: [archiveName],
    };
    return { chart: chart.name, entry, archive: path.join(outDir, archiveName) };
}

/** Serves the charts in `chartDirs` (one or several versions) as one repository. */
export async function startHelmRepository(...chartDirs: string[]): Promise<HelmRepository> {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "krps-helm-repo-"));
    buildRepository(chartDirs, root);
    const requests: HelmRepository["requests"] = [];
    const server = http.createServer((request, response) => {
        const url = new URL(request.url ?? "/", "http://localhost");
        const name = url.pathname.startsWith("/charts/") ? url.pathname.slice("/charts/".length) : "";
        const file = name && !name.includes("/") ? path.join(root, name) : "";
        const status = file && fs.existsSync(file) ? 200 : 404;
        requests.push({ path: url.pathname, status });
        if (status === 200) {
            response.writeHead(200, { "Content-Type": name.endsWith(".yaml") ? "application/x-yaml" : "application/gzip" });
            fs.createReadStream(file).pipe(response);
        } else {
            response.writeHead(404, { "Content-Type": "text/plain" });
            response.end("404 page not found\n");
        }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    return {
        url: `http://127.0.0.1:${port}/charts/`,
        missingUrl: `http://127.0.0.1:${port}/no-such-repository/`,
        requests,
        close: async () => {
            await new Promise<void>((resolve) => server.close(() => resolve()));
            fs.rmSync(root, { recursive: true, force: true });
        },
    };
}
