/**
 * The tar side of the OCI archives: writing entries (a layer of gigabytes is streamed from its file, never
 * held in memory) and reading an archive in one pass.
 */

import * as fs from "fs";
import { pipeline } from "stream/promises";
import * as tar from "tar-stream";

/** No owner and no date on any entry, as the Python writer had it: the same blobs always give the same archive. */
const FIXED = { uid: 0, gid: 0, mtime: new Date(0) };

export type ArchiveEntry =
    | { kind: "directory"; name: string }
    | { kind: "data"; name: string; data: Buffer }
    | { kind: "file"; name: string; path: string };

export async function writeArchive(out: string, entries: ArchiveEntry[]): Promise<void> {
    const pack = tar.pack();
    const written = pipeline(pack, fs.createWriteStream(out));
    written.catch(() => undefined); // awaited below; a failure of an entry first must not leave it unhandled
    for (const entry of entries) {
        if (entry.kind === "directory") {
            pack.entry({ ...FIXED, name: entry.name, type: "directory", mode: 0o755 });
        } else if (entry.kind === "data") {
            pack.entry({ ...FIXED, name: entry.name, type: "file", mode: 0o644 }, entry.data);
        } else {
            const { size } = await fs.promises.stat(entry.path);
            const sink = pack.entry({ ...FIXED, name: entry.name, type: "file", mode: 0o644, size });
            await pipeline(fs.createReadStream(entry.path), sink);
        }
    }
    pack.finalize();
    await written;
}

/**
 * Calls visit with every entry of the archive, in order; whatever visit leaves unread is skipped. One
 * sequential read, as `tar -x` makes: an archive of gigabytes is never held or searched.
 */
export async function forEachEntry(
    archive: string,
    visit: (header: tar.Header, body: AsyncIterable<Buffer>) => Promise<void>,
): Promise<void> {
    const extract = tar.extract();
    const read = pipeline(fs.createReadStream(archive), extract);
    read.catch(() => undefined); // awaited below; an error of visit first must not leave it unhandled
    for await (const entry of extract) {
        await visit(entry.header, entry as AsyncIterable<Buffer>); // streamx types its chunks unknown; they are Buffers
        entry.resume();
    }
    await read;
}
