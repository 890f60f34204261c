/** The images the kind suite needs, as their build scripts list them (`npm run kind:images`: the node; `npm run node:images`: the rest). */

import { execFileSync } from "child_process";
import * as path from "path";
import { builtImages, OPERATOR_IMAGE } from "../../e2e/harness/containerd";

export interface KindImages {
    /** The node image's folder: rootfs.tar, import.args (`docker import` settings) and ref. */
    nodeDir: string;
    operatorArchive: string;
    rayArchive: string;
    /** The wheels the Ray image's pip.conf points at. */
    wheelhouse: string;
}

export function kindImages(): KindImages {
    const script = path.resolve(__dirname, "..", "images", "build.sh");
    let listing: string;
    try {
        listing = execFileSync("bash", [script, "--list"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    } catch (error) {
        throw new Error(`The kind images are not built: run \`npm run kind:images\` first.\n${(error as { stderr?: string }).stderr ?? ""}`);
    }
    const entries = Object.fromEntries(listing.split("\n").filter(Boolean).map((line) => line.split(" ")));
    const { images, wheelhouse } = builtImages();
    const archive = (refPrefix: string) => images.find((image) => image.ref.startsWith(refPrefix))?.archive;
    const [operatorArchive, rayArchive] = [archive(OPERATOR_IMAGE), archive("docker.io/rayproject/ray:")];
    if (!entries.node || !operatorArchive || !rayArchive) throw new Error(`incomplete image listing:\n${listing}\n${JSON.stringify(images)}`);
    return { nodeDir: entries.node, operatorArchive, rayArchive, wheelhouse };
}
