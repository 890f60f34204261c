/**
 * Bytes to text, as kubectl's FileVisitor reads a file (unicode.BOMOverride(unicode.UTF8.NewDecoder())): a
 * UTF-16 byte-order mark (LE or BE) means UTF-16, a UTF-8 one is dropped, anything else is UTF-8 — read in
 * pieces, never whole. Stricter than kubectl in one way: where kubectl would quietly turn bytes that are not
 * UTF-8 into U+FFFD, this is an error naming the line (a binary file, a Latin-1 file). Characters that go-yaml's
 * reader refuses ("control characters are not allowed": C0 controls but tab and line breaks, DEL, C1 controls
 * but NEL, U+FFFE, U+FFFF) are an error too, in JSON as in YAML.
 */

import { DecodeError } from "./errors";

export interface ByteSource {
    /** Fills `buffer` from the start; returns the number of bytes read, 0 at the end. */
    read(buffer: Uint8Array): number;
}

const PIECE = 1 << 20;
const CONTROL = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFFFE\uFFFF]/;

/** The text of `source`, piece by piece. */
export function* textPieces(source: ByteSource): Generator<string> {
    const buffer = new Uint8Array(PIECE);
    let head = readAtLeast(source, buffer, 4);
    let encoding = "utf-8";
    let skip = 0;
    if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) [encoding, skip] = ["utf-16le", 2];
    else if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) [encoding, skip] = ["utf-16be", 2];
    else if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) skip = 3;
    const decoder = new TextDecoder(encoding, { fatal: true, ignoreBOM: true });
    let line = 1;
    let column = 1;
    // UTF-8 is cut at character boundaries by hand, so that a bad byte is found in the piece that holds it.
    let carry: Uint8Array = new Uint8Array(0);
    let pending: Uint8Array = head.subarray(skip);
    for (;;) {
        const atEnd = pending.length === 0;
        const bytes = carry.length === 0 ? pending : concat(carry, pending);
        const cut = encoding === "utf-8" && !atEnd ? utf8Boundary(bytes) : bytes.length;
        let text: string;
        try {
            text = encoding === "utf-8" ? decoder.decode(bytes.subarray(0, cut)) : decoder.decode(bytes, { stream: !atEnd });
        } catch {
            if (encoding !== "utf-8") throw new DecodeError(`not ${encoding.toUpperCase()} text: a binary file?`, line, column);
            const at = invalidUtf8Offset(bytes.subarray(0, cut));
            if (at >= cut) throw new DecodeError("not UTF-8 text: the input ends inside a character", line, column);
            const [l, c] = advance(new TextDecoder().decode(bytes.subarray(0, at)), line, column);
            throw new DecodeError(`not UTF-8 text (byte 0x${bytes[at].toString(16).padStart(2, "0")}): a binary file, or another encoding`, l, c);
        }
        carry = encoding === "utf-8" ? bytes.slice(cut) : carry;
        const control = CONTROL.exec(text);
        if (control) {
            const [l, c] = advance(text.slice(0, control.index), line, column);
            const code = control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0");
            throw new DecodeError(`control character U+${code} is not allowed in YAML or JSON text: a binary file?`, l, c);
        }
        if (text.length > 0) {
            [line, column] = advance(text, line, column);
            yield text;
        }
        if (atEnd) return;
        const n = source.read(buffer);
        pending = buffer.subarray(0, n);
    }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
    const out = new Uint8Array(a.length + b.length);
    out.set(a);
    out.set(b, a.length);
    return out;
}

/** Where the last, possibly incomplete, UTF-8 sequence of `bytes` starts if it is incomplete; else the length. */
function utf8Boundary(bytes: Uint8Array): number {
    for (let back = 1; back <= 3 && back <= bytes.length; back++) {
        const b = bytes[bytes.length - back];
        if ((b & 0xc0) === 0x80) continue; // a continuation byte: look further back
        const length = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
        return length > back ? bytes.length - back : bytes.length;
    }
    return bytes.length;
}

/** Reads until `min` bytes or the end; returns a copy. */
function readAtLeast(source: ByteSource, buffer: Uint8Array, min: number): Uint8Array {
    let length = 0;
    while (length < min) {
        const n = source.read(buffer.subarray(length));
        if (n === 0) break;
        length += n;
    }
    return buffer.slice(0, length);
}

/** Line and column after `text`, from `line`, `column`. */
function advance(text: string, line: number, column: number): [number, number] {
    let last = -1;
    for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) {
        line++;
        last = i;
    }
    return [line, last === -1 ? column + text.length : text.length - last];
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence (a sequence cut at the end counts as valid). */
export function invalidUtf8Offset(bytes: Uint8Array): number {
    let i = 0;
    while (i < bytes.length) {
        const b = bytes[i];
        const need = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
        if (need < 0) return i;
        for (let k = 1; k <= need; k++) {
            if (i + k >= bytes.length) return bytes.length;
            const c = bytes[i + k];
            const low = k === 1 && b === 0xe0 ? 0xa0 : k === 1 && b === 0xf0 ? 0x90 : 0x80;
            const high = k === 1 && b === 0xed ? 0x9f : k === 1 && b === 0xf4 ? 0x8f : 0xbf;
            if (c < low || c > high) return i;
        }
        i += need + 1;
    }
    return bytes.length;
}
