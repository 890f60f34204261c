/**
 * The OCI archive writer of the image build scripts (test/support/images/oci.ts). The archive is read back
 * here byte by byte, not with the writer's own tar library, so a header it gets wrong cannot hide.
 */

import { spawnSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Writable } from "stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { write } from "./support/images/oci";
import { writeArchive } from "./support/images/ociArchive";
import { check } from "./support/images/ociCheck";
import { blobPath, imageDocuments } from "./support/images/ociDocuments";
import { layer } from "./support/images/ociLayer";

interface TarEntry {
    name: string;
    mode: number;
    uid: number;
    gid: number;
    mtime: number;
    type: string;
    magic: string;
    checksumValid: boolean;
    data: Buffer;
}

/** A ustar reader of its own: every header field as the bytes say. */
function readTar(archive: Buffer): TarEntry[] {
    const entries: TarEntry[] = [];
    let offset = 0;
    while (offset + 512 <= archive.length) {
        const header = archive.subarray(offset, offset + 512);
        if (header.every((byte) => byte === 0)) break;
        const text = (start: number, end: number) => header.toString("latin1", start, end).replace(/\0[^]*$/, "");
        const octal = (start: number, end: number) => parseInt(text(start, end).trim(), 8);
        const size = octal(124, 136);
        const checksum = header.reduce((sum, byte, i) => sum + (i >= 148 && i < 156 ? 0x20 : byte), 0);
        const prefix = text(345, 500);
        entries.push({
            name: (prefix ? prefix + "/" : "") + text(0, 100),
            mode: octal(100, 108),
            uid: octal(108, 116),
            gid: octal(116, 124),
            mtime: octal(136, 148),
            type: text(156, 157),
            magic: header.toString("latin1", 257, 263),
            checksumValid: checksum === octal(148, 156),
            data: archive.subarray(offset + 512, offset + 512 + size),
        });
        offset += 512 + Math.ceil(size / 512) * 512;
    }
    return entries;
}

const sha256 = (data: Buffer) => "sha256:" + createHash("sha256").update(data).digest("hex");
const REF = "registry.example/krps/test:v1";
// Keys out of order, a non-ASCII and a DEL character: the documents must come out as Python's json.dumps wrote them.
const CONFIG = '{"User":"1000:100","Env":["PATH=/bin"],"Labels":{"z":"1","a":"é\\u007f"}}';

let dir: string;
let layerTar: string;
let archive: string;
const read = (file: string) => fs.readFileSync(file);

async function layerBytes(file: string): Promise<Buffer> {
    const chunks: Buffer[] = [];
    const out = new Writable({ write: (chunk, _encoding, done) => (chunks.push(chunk), done()) });
    await layer(file, out);
    return Buffer.concat(chunks);
}

beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "krps-oci-"));
    const stage = path.join(dir, "stage");
    fs.mkdirSync(path.join(stage, "etc"), { recursive: true });
    fs.writeFileSync(path.join(stage, "etc/passwd"), "nonroot:x:65532:65532::/home/nonroot:/sbin/nologin\n");
    fs.writeFileSync(path.join(stage, "manager"), Buffer.alloc(3000, 7), { mode: 0o755 });
    fs.symlinkSync("manager", path.join(stage, "entry"));
    layerTar = path.join(dir, "layer.tar");
    // As pack_image in lib.sh makes a layer.
    const tar = spawnSync("tar", ["--numeric-owner", "--owner=0", "--group=0", "--mtime=@0", "--sort=name", "-C", stage, "-cf", layerTar, "."]);
    expect(tar.status, tar.stderr?.toString()).toBe(0);
    archive = path.join(dir, "image.oci.tar");
    await write(layerTar, archive, REF, CONFIG);
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("oci write", () => {
    it("writes the layout's entries in order, each with mode 0644 or 0755, owner 0:0 and time 0, in ustar headers", () => {
        const entries = readTar(read(archive));
        const layerDigest = sha256(read(layerTar));
        expect(entries.map((e) => e.name)).toEqual([
            "oci-layout",
            "index.json",
            "blobs/",
            "blobs/sha256/",
            expect.stringMatching(/^blobs\/sha256\/[0-9a-f]{64}$/),
            expect.stringMatching(/^blobs\/sha256\/[0-9a-f]{64}$/),
            blobPath(layerDigest),
        ]);
        for (const entry of entries) {
            const directory = entry.name.endsWith("/");
            expect(entry, entry.name).toMatchObject({ type: directory ? "5" : "0", mode: directory ? 0o755 : 0o644, uid: 0, gid: 0, mtime: 0 });
            expect(entry.magic, entry.name).toBe("ustar\0");
            expect(entry.checksumValid, entry.name).toBe(true);
        }
    });

    it("names every blob by the sha256 of its bytes, and the index, manifest and config describe each other", () => {
        const entries = new Map(readTar(read(archive)).map((e) => [e.name, e.data]));
        const json = (name: string) => JSON.parse(entries.get(name)!.toString("utf8"));
        for (const [name, data] of entries) {
            if (name.startsWith("blobs/sha256/") && !name.endsWith("/")) expect(sha256(data), name).toBe("sha256:" + name.slice(13));
        }
        expect(entries.get("oci-layout")!.toString()).toBe('{"imageLayoutVersion":"1.0.0"}');
        const [desc] = json("index.json").manifests;
        expect(json("index.json").manifests).toHaveLength(1);
        expect(desc.annotations).toEqual({ "io.containerd.image.name": REF, "org.opencontainers.image.ref.name": "v1" });
        expect(desc.platform).toEqual({ architecture: "amd64", os: "linux" });
        expect(desc.size).toBe(entries.get(blobPath(desc.digest))!.length);
        const manifest = json(blobPath(desc.digest));
        expect(manifest.config.size).toBe(entries.get(blobPath(manifest.config.digest))!.length);
        const layerDigest = sha256(read(layerTar));
        expect(manifest.layers).toEqual([{ mediaType: "application/vnd.oci.image.layer.v1.tar", digest: layerDigest, size: read(layerTar).length }]);
        const config = json(blobPath(manifest.config.digest));
        expect(config.rootfs).toEqual({ type: "layers", diff_ids: [layerDigest] });
        expect(config.config).toEqual(JSON.parse(CONFIG));
        expect(config).toMatchObject({ architecture: "amd64", os: "linux" });
    });

    it("carries the layer unchanged: the files given, as tar wrote them", () => {
        const blob = readTar(read(archive)).at(-1)!.data;
        expect(blob.equals(read(layerTar))).toBe(true);
        const files = readTar(blob).map((e) => [e.name, e.type]);
        expect(files).toEqual([["./", "5"], ["./entry", "2"], ["./etc/", "5"], ["./etc/passwd", "0"], ["./manager", "0"]]);
    });

    it("serialises the documents byte for byte as the Python writer did (digests it gave for the same input)", () => {
        const fixedLayer = Buffer.from("one layer, as bytes: the writer only hashes and copies it\n");
        const docs = imageDocuments({ digest: sha256(fixedLayer), size: fixedLayer.length }, REF, JSON.parse(CONFIG));
        expect(docs.config.toString()).toContain('"Labels":{"a":"\\u00e9\\u007f","z":"1"}');
        expect(docs.configDigest).toBe("sha256:975a6c61a976761a49b73006570ecf9a3998dea90e82e30d8374d9140d9faf39");
        expect(docs.manifestDigest).toBe("sha256:8535397c3fe81449ac651bd86d0e479c473ab1f2bdef90ba1d94e8663890e098");
        expect(sha256(docs.index)).toBe("sha256:58b122665e945a14d5560522a8349eeaf08e22c236ef53608606c71c3ce1d771");
    });

    it("refuses a reference without a tag", async () => {
        await expect(write(layerTar, path.join(dir, "untagged.oci.tar"), "registry.example/krps/test", CONFIG)).rejects.toThrow(/without a tag/);
    });
});

describe("oci check", () => {
    it("passes the archive it wrote and sums it up", async () => {
        const [desc] = JSON.parse(readTar(read(archive))[1].data.toString()).manifests;
        expect(await check(archive, REF)).toBe(`${REF}: manifest ${desc.digest}, 1 layer(s), 0 MB uncompressed`);
    });

    it("fails an archive for another image name", async () => {
        await expect(check(archive, "registry.example/krps/test:v2")).rejects.toThrow(/names another image than registry.example\/krps\/test:v2/);
    });

    it("fails a layer whose bytes no longer match its digest", async () => {
        const bytes = Buffer.from(read(archive));
        const layerEntry = readTar(bytes).at(-1)!;
        bytes[layerEntry.data.byteOffset - bytes.byteOffset + 600] ^= 0xff;
        const corrupt = path.join(dir, "corrupt.oci.tar");
        fs.writeFileSync(corrupt, bytes);
        await expect(check(corrupt, REF)).rejects.toThrow(new RegExp(`${layerEntry.name} has digest sha256:`));
    });
});

describe("oci layer", () => {
    it("streams out the single layer", async () => {
        expect((await layerBytes(archive)).equals(read(layerTar))).toBe(true);
    });

    it("finds the layer in an archive that lists it before its manifest (a second pass)", async () => {
        const docs = imageDocuments({ digest: sha256(read(layerTar)), size: read(layerTar).length }, REF, {});
        const reordered = path.join(dir, "reordered.oci.tar");
        await writeArchive(reordered, [
            { kind: "file", name: blobPath(sha256(read(layerTar))), path: layerTar },
            { kind: "data", name: "index.json", data: docs.index },
            { kind: "data", name: blobPath(docs.manifestDigest), data: docs.manifest },
        ]);
        expect((await layerBytes(reordered)).equals(read(layerTar))).toBe(true);
    });
});

describe("oci.ts on the command line, as lib.sh runs it", () => {
    const tsx = path.join(__dirname, "..", "node_modules", ".bin", "tsx");
    const cli = path.join(__dirname, "support", "images", "oci.ts");

    // Another process, a later second: the same inputs must give the same bytes (no date, no process state).
    it("writes the same archive as the function did, and exits 1 with the reason when a check fails", () => {
        const out = path.join(dir, "cli.oci.tar");
        const written = spawnSync(tsx, [cli, "write", layerTar, out, REF, CONFIG], { encoding: "utf8" });
        expect(written.status, written.stderr).toBe(0);
        expect(read(out).equals(read(archive))).toBe(true);
        const checked = spawnSync(tsx, [cli, "check", out, "registry.example/krps/test:v2"], { encoding: "utf8" });
        expect(checked.status).toBe(1);
        expect(checked.stderr).toMatch(/^oci: index.json names another image than registry.example\/krps\/test:v2/);
    });
});
