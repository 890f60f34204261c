/**
 * The chart's CRDs as rendered, kept in the cache folder: one JSON file per chart version and CRD digest (what
 * the CRD set applies), and an index from the chart's identity to it, so that a call whose chart is already
 * rendered asks the provider for nothing (the render moves the whole chart, ~4 MB, through the SDK: seconds).
 * A chart version is immutable in a Helm repository; a local chart is identified by its files' sizes and times.
 */

import * as fs from "fs";
import * as path from "path";
import { shortHash } from "../../lib/hash";
import { xdgBaseDir } from "../../lib/xdg";
import { PROJECT_NAME } from "../../model/project";
import { ChartLocation } from "./chartSource";
import { CrdObject } from "./crds";

export interface RenderedCrds {
    digest: string;
    names: string[];
    crdFile: string;
}

/** Sizes and times of a local chart's files (a .tgz, or a directory's files); "" for a repository chart. */
function localChartStamp(chartPath: string | undefined): string {
    if (chartPath === undefined) return "";
    const stat = (file: string) => {
        const info = fs.statSync(file);
        return `${path.relative(chartPath, file)}:${info.size}:${info.mtimeMs}`;
    };
    if (!fs.statSync(chartPath).isDirectory()) return stat(chartPath);
    const files: string[] = [];
    const walk = (dir: string) => {
        for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
            const full = path.join(dir, entry.name);
            if (entry.isDirectory()) walk(full);
            else files.push(stat(full));
        }
    };
    walk(chartPath);
    return files.join("\n");
}

/** The chart's identity: where it comes from, its version, and for a local chart its files. */
export function chartIdentity(location: ChartLocation, namespace: string, releaseName: string): string {
    const source = location.chartPath ?? location.chartRepository;
    return shortHash([source, location.chartVersion, namespace, releaseName, localChartStamp(location.chartPath)]);
}

/** The CRDs rendered earlier for this chart identity, if their file is still there. */
export function cachedRender(dir: string, identity: string): RenderedCrds | undefined {
    try {
        const cached = JSON.parse(fs.readFileSync(path.join(dir, "index", `${identity}.json`), "utf8")) as RenderedCrds;
        return fs.existsSync(cached.crdFile) ? cached : undefined;
    } catch {
        return undefined;
    }
}

/** Keeps a render: the CRDs' file (once per digest) and the index entry for the chart identity. */
export function keepRender(dir: string, identity: string, chartVersion: string, digest: string, crds: CrdObject[]): RenderedCrds {
    const crdFile = path.join(dir, `kuberay-operator-${chartVersion}-${digest}.json`);
    if (!fs.existsSync(crdFile)) writeAtomically(crdFile, JSON.stringify(crds));
    const rendered = { digest, names: crds.map((crd) => crd.metadata.name), crdFile };
    writeAtomically(path.join(dir, "index", `${identity}.json`), JSON.stringify(rendered));
    return rendered;
}

function writeAtomically(file: string, text: string): void {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const partial = `${file}.${process.pid}.partial`;
    fs.writeFileSync(partial, text);
    fs.renameSync(partial, file);
}

/** Where the program keeps rendered CRDs for the CRD set: $XDG_CACHE_HOME (absolute) or ~/.cache, as kind's state. */
export function crdCacheDir(env: { home: string; xdgCacheHome?: string }): string {
    return path.join(xdgBaseDir({ home: env.home, xdgHome: env.xdgCacheHome }, ".cache"), PROJECT_NAME, "crds");
}
