/**
 * The documents of a one-layer OCI image (config, manifest, index), serialised as the Python writer this
 * replaced did: the same layer, reference and config give the same digests, so images keep their identity.
 */

import { createHash } from "crypto";

export const MEDIA_TYPE = {
    index: "application/vnd.oci.image.index.v1+json",
    manifest: "application/vnd.oci.image.manifest.v1+json",
    config: "application/vnd.oci.image.config.v1+json",
    layer: "application/vnd.oci.image.layer.v1.tar",
} as const;

export const OCI_LAYOUT = '{"imageLayoutVersion":"1.0.0"}';

export interface Descriptor {
    mediaType: string;
    digest: string;
    size: number;
}

export interface ImageDocuments {
    config: Buffer;
    configDigest: string;
    manifest: Buffer;
    manifestDigest: string;
    index: Buffer;
}

export function sha256Digest(data: Buffer): string {
    return "sha256:" + createHash("sha256").update(data).digest("hex");
}

/** The blob file of a digest, inside the archive. */
export function blobPath(digest: string): string {
    if (!digest.startsWith("sha256:")) throw new Error(`not a sha256 digest: ${digest}`);
    return "blobs/sha256/" + digest.slice("sha256:".length);
}

function sortKeys(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(sortKeys);
    if (value === null || typeof value !== "object") return value;
    const object = value as Record<string, unknown>;
    return Object.fromEntries(Object.keys(object).sort().map((key) => [key, sortKeys(object[key])]));
}

/**
 * JSON as Python's json.dumps(sort_keys=True, separators=(",", ":")) writes it: keys sorted at every level,
 * no spaces, and (ensure_ascii) every character past printable ASCII as a lowercase \uXXXX escape.
 */
export function canonicalJson(value: unknown): Buffer {
    const text = JSON.stringify(sortKeys(value)).replace(
        /[\u007f-\uffff]/g,
        (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"),
    );
    return Buffer.from(text, "ascii");
}

/** The tag: what follows the reference's last colon (the layout's org.opencontainers.image.ref.name). */
function tagOf(ref: string): string {
    const colon = ref.lastIndexOf(":");
    if (colon < 0) throw new Error(`image reference without a tag: ${ref}`);
    return ref.slice(colon + 1);
}

export function imageDocuments(layer: { digest: string; size: number }, ref: string, imageConfig: unknown): ImageDocuments {
    const config = canonicalJson({
        architecture: "amd64",
        os: "linux",
        config: imageConfig,
        rootfs: { type: "layers", diff_ids: [layer.digest] },
        // The Python writer's words (and the script's old path), kept so that existing images' config digests do not change.
        history: [{ created_by: "test/node/images/build.sh" }],
    });
    const configDigest = sha256Digest(config);
    const manifest = canonicalJson({
        schemaVersion: 2,
        mediaType: MEDIA_TYPE.manifest,
        config: { mediaType: MEDIA_TYPE.config, digest: configDigest, size: config.length },
        layers: [{ mediaType: MEDIA_TYPE.layer, digest: layer.digest, size: layer.size }],
    });
    const manifestDigest = sha256Digest(manifest);
    const index = canonicalJson({
        schemaVersion: 2,
        mediaType: MEDIA_TYPE.index,
        manifests: [
            {
                mediaType: MEDIA_TYPE.manifest,
                digest: manifestDigest,
                size: manifest.length,
                platform: { architecture: "amd64", os: "linux" },
                annotations: { "io.containerd.image.name": ref, "org.opencontainers.image.ref.name": tagOf(ref) },
            },
        ],
    });
    return { config, configDigest, manifest, manifestDigest, index };
}
