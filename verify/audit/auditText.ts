/**
 * Turns an audit log's bytes into text: a gzip stream (kube-apiserver's `--audit-log-compress`, logrotate's
 * `compress`) is recognised by its magic bytes whatever the file is called, and decompressed as it streams.
 */

import { pipeline, Readable } from "stream";
import * as zlib from "zlib";

const GZIP_MAGIC = [0x1f, 0x8b];

export interface AuditText {
    /** Whether the bytes were gzip. */
    compressed: boolean;
    /** The text's bytes, in chunks as they arrive; iteration throws what the source or gunzip threw. */
    chunks: AsyncIterable<Buffer>;
}

function toBuffer(chunk: unknown): Buffer {
    return Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
}

/** Reads just enough of `input` to tell gzip from text; the rest is read as the chunks are iterated. */
export async function openAuditText(input: Readable): Promise<AuditText> {
    const source = input[Symbol.asyncIterator]();
    const head: Buffer[] = [];
    let headLength = 0;
    let ended = false;
    while (headLength < GZIP_MAGIC.length) {
        const next = await source.next();
        if (next.done) {
            ended = true;
            break;
        }
        const chunk = toBuffer(next.value);
        head.push(chunk);
        headLength += chunk.length;
    }
    const start = Buffer.concat(head);
    async function* raw(): AsyncGenerator<Buffer> {
        if (start.length > 0) yield start;
        if (ended) return;
        for (let next = await source.next(); !next.done; next = await source.next()) yield toBuffer(next.value);
    }
    const compressed = GZIP_MAGIC.every((byte, i) => start[i] === byte);
    if (!compressed) return { compressed, chunks: raw() };
    // A gzip file cut short (copied while being written) yields what it holds, as a truncated text log does.
    const gunzip = zlib.createGunzip({ finishFlush: zlib.constants.Z_SYNC_FLUSH });
    pipeline(Readable.from(raw(), { objectMode: false }), gunzip, () => undefined);
    return { compressed, chunks: gunzip };
}
