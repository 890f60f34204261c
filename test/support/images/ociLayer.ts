/** `oci.ts layer`: the single layer of an archive, streamed out (a root filesystem of gigabytes, for `tar -x`). */

import { once } from "events";
import type { Header } from "tar-stream";
import { forEachEntry } from "./ociArchive";
import { fail, DOCUMENT_LIMIT } from "./ociCheck";
import { blobPath, Descriptor } from "./ociDocuments";

/** The single layer's blob name, once index.json and the manifest have been read. */
function layerName(documents: Map<string, Buffer>): string | undefined {
    const index = documents.get("index.json");
    const manifest = index && documents.get(blobPath(JSON.parse(index.toString("utf8")).manifests[0].digest));
    if (!manifest) return undefined;
    const layers: Descriptor[] = JSON.parse(manifest.toString("utf8")).layers;
    if (layers.length !== 1) fail(`the manifest lists ${layers.length} layers, not one`);
    return blobPath(layers[0].digest);
}

/**
 * Writes the layer to out. The writer puts index.json and the manifest before the layer, so one pass finds
 * it; an archive in another order takes a second.
 */
export async function layer(archive: string, out: NodeJS.WritableStream): Promise<void> {
    const documents = new Map<string, Buffer>();
    let wanted: string | undefined;
    let found = false;
    const visit = async (header: Header, body: AsyncIterable<Buffer>): Promise<void> => {
        if (header.type !== "file") return;
        if (header.name === wanted) {
            found = true;
            for await (const chunk of body) if (!out.write(chunk)) await once(out, "drain");
        } else if (header.size <= DOCUMENT_LIMIT) {
            const chunks: Buffer[] = [];
            for await (const chunk of body) chunks.push(chunk);
            documents.set(header.name, Buffer.concat(chunks));
            wanted ??= layerName(documents);
        }
    };
    await forEachEntry(archive, visit);
    if (wanted === undefined) fail(`${archive} has no index.json or no manifest`);
    if (!found) await forEachEntry(archive, visit);
    if (!found) fail(`${archive} has no layer blob ${wanted}`);
}
