/**
 * OCI image archives for the locally built images (test/support/images/node/build.sh, test/support/images/kind/build.sh), run
 * with tsx by oci() of lib.sh:
 *   oci.ts write <layer.tar> <out.oci.tar> <ref> <image config JSON>   oci-layout, index.json, one manifest, its
 *                                                                      config and one uncompressed layer
 *   oci.ts check <archive> <ref>   every blob matches its digest and size; a summary on stderr
 *   oci.ts layer <archive>         the archive's single layer, to stdout
 */

import { createHash } from "crypto";
import * as fs from "fs";
import { writeArchive } from "./ociArchive";
import { check, fail } from "./ociCheck";
import { blobPath, imageDocuments, OCI_LAYOUT } from "./ociDocuments";
import { layer } from "./ociLayer";

async function fileDigest(path: string): Promise<string> {
    const hash = createHash("sha256");
    for await (const chunk of fs.createReadStream(path)) hash.update(chunk as Buffer);
    return "sha256:" + hash.digest("hex");
}

/** The small files first, the layer last: `layer` then finds it in one pass. */
export async function write(layerTar: string, out: string, ref: string, imageConfig: string): Promise<void> {
    const layerBlob = { digest: await fileDigest(layerTar), size: (await fs.promises.stat(layerTar)).size };
    const docs = imageDocuments(layerBlob, ref, JSON.parse(imageConfig));
    await writeArchive(out, [
        { kind: "data", name: "oci-layout", data: Buffer.from(OCI_LAYOUT) },
        { kind: "data", name: "index.json", data: docs.index },
        { kind: "directory", name: "blobs/" },
        { kind: "directory", name: "blobs/sha256/" },
        { kind: "data", name: blobPath(docs.manifestDigest), data: docs.manifest },
        { kind: "data", name: blobPath(docs.configDigest), data: docs.config },
        { kind: "file", name: blobPath(layerBlob.digest), path: layerTar },
    ]);
}

async function main([command, ...args]: string[]): Promise<void> {
    if (command === "write" && args.length === 4) return write(args[0], args[1], args[2], args[3]);
    if (command === "check" && args.length === 2) return void console.error(await check(args[0], args[1]));
    if (command === "layer" && args.length === 1) return layer(args[0], process.stdout);
    fail("usage: oci.ts write <layer.tar> <out> <ref> <image config JSON> | check <archive> <ref> | layer <archive>");
}

if (require.main === module) {
    main(process.argv.slice(2)).catch((error: Error) => {
        console.error(`oci: ${error.message}`);
        process.exitCode = 1;
    });
}
