/** The images the kind suite needs, as their build scripts list them (`npm run kind:images`: the node; `npm run node:images`: the rest). */

import { builtImages } from "../harness/containerd";
import { OPERATOR_IMAGE } from "../pinned";
import { listBuiltImages } from "../images/listing";

export interface KindImages {
    /** The node image's folder: rootfs.tar, import.args (`docker import` settings) and ref. */
    nodeDir: string;
    operatorArchive: string;
    rayArchive: string;
    /** The wheels the Ray image's pip.conf points at. */
    wheelhouse: string;
}

export function kindImages(): KindImages {
    const listing = listBuiltImages("kind");
    const entries = Object.fromEntries(listing);
    const { images, wheelhouse } = builtImages();
    const archive = (refPrefix: string) => images.find((image) => image.ref.startsWith(refPrefix))?.archive;
    const [operatorArchive, rayArchive] = [archive(OPERATOR_IMAGE), archive("docker.io/rayproject/ray:")];
    if (!entries.node || !operatorArchive || !rayArchive) throw new Error(`incomplete image listing:\n${JSON.stringify(listing)}\n${JSON.stringify(images)}`);
    return { nodeDir: entries.node, operatorArchive, rayArchive, wheelhouse };
}
