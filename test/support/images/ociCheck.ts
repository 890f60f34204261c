/**
 * `oci.ts check`: an archive is what containerd will import only if every blob matches its digest and size
 * and the config's diff_ids are the (uncompressed) layers' digests.
 */

import { createHash } from "crypto";
import { forEachEntry } from "./ociArchive";
import { blobPath, Descriptor, MEDIA_TYPE, OCI_LAYOUT } from "./ociDocuments";

/** What one pass over an archive learns: each file's digest and size, and the bytes of the small ones. */
interface Scanned {
    digest: string;
    size: number;
    data?: Buffer;
}

interface Index {
    manifests: (Descriptor & { annotations?: Record<string, string> })[];
}
interface Manifest {
    config: Descriptor;
    layers: Descriptor[];
}
interface Config {
    rootfs: { diff_ids: string[] };
}

/** The JSON documents are small; a layer is never held in memory. */
export const DOCUMENT_LIMIT = 1 << 20;

export function fail(message: string): never {
    throw new Error(message);
}

async function scan(archive: string): Promise<Map<string, Scanned>> {
    const files = new Map<string, Scanned>();
    await forEachEntry(archive, async (header, body) => {
        if (header.type !== "file") return;
        const keep = header.size <= DOCUMENT_LIMIT;
        const hash = createHash("sha256");
        const chunks: Buffer[] = [];
        for await (const chunk of body) {
            hash.update(chunk);
            if (keep) chunks.push(chunk);
        }
        files.set(header.name, { digest: "sha256:" + hash.digest("hex"), size: header.size, data: keep ? Buffer.concat(chunks) : undefined });
    });
    return files;
}

function json<T>(files: Map<string, Scanned>, name: string): T {
    const data = files.get(name)?.data ?? fail(`${name} is missing from the archive`);
    return JSON.parse(data.toString("utf8")) as T;
}

function verify(files: Map<string, Scanned>, desc: Descriptor): void {
    const name = blobPath(desc.digest);
    const blob = files.get(name) ?? fail(`no blob for ${JSON.stringify(desc)}`);
    if (blob.digest !== desc.digest) fail(`${name} has digest ${blob.digest}, not its name's: ${JSON.stringify(desc)}`);
    if (blob.size !== desc.size) fail(`${name} has ${blob.size} bytes: ${JSON.stringify(desc)}`);
}

/** Checks the archive as the image <ref>; returns a one-line summary. */
export async function check(archive: string, ref: string): Promise<string> {
    const files = await scan(archive);
    const layout = json<{ imageLayoutVersion?: string }>(files, "oci-layout");
    if (layout.imageLayoutVersion !== "1.0.0") fail(`oci-layout is not ${OCI_LAYOUT}`);
    const { manifests } = json<Index>(files, "index.json");
    if (manifests.length !== 1) fail(`index.json lists ${manifests.length} manifests, not one`);
    const [desc] = manifests;
    if (desc.annotations?.["io.containerd.image.name"] !== ref) fail(`index.json names another image than ${ref}: ${JSON.stringify(desc)}`);
    verify(files, desc);
    const manifest = json<Manifest>(files, blobPath(desc.digest));
    verify(files, manifest.config);
    const config = json<Config>(files, blobPath(manifest.config.digest));
    for (const layer of manifest.layers) {
        if (layer.mediaType !== MEDIA_TYPE.layer) fail(`a layer of media type ${layer.mediaType}: ${JSON.stringify(layer)}`);
        verify(files, layer);
    }
    const diffIds = JSON.stringify(config.rootfs.diff_ids);
    if (diffIds !== JSON.stringify(manifest.layers.map((l) => l.digest))) fail(`the config's diff_ids ${diffIds} are not the layers' digests`);
    const megabytes = manifest.layers.reduce((sum, l) => sum + l.size, 0) / 1e6;
    return `${ref}: manifest ${desc.digest}, ${manifest.layers.length} layer(s), ${megabytes.toFixed(0)} MB uncompressed`;
}
