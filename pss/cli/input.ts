/** Opens the CLI's inputs as byte sources, read piece by piece; a file that cannot be read is one clear line. */

import * as fs from "fs";
import { ByteSource } from "../decode";

export class InputError extends Error {}

export interface OpenInput extends ByteSource {
    close(): void;
}

function why(error: unknown): string {
    const code = (error as NodeJS.ErrnoException).code;
    return code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : code === "EACCES" ? "permission denied" : String((error as Error).message);
}

/** A file by name, or stdin for `-`. */
export function openInput(file: string, stdin: () => ByteSource): OpenInput {
    if (file === "-") {
        const source = stdin();
        return { read: (buffer) => guarded(file, () => source.read(buffer)), close: () => undefined };
    }
    let fd: number;
    try {
        fd = fs.openSync(file, "r");
    } catch (error) {
        throw new InputError(`${file}: cannot read: ${why(error)}`);
    }
    return { read: (buffer) => guarded(file, () => fs.readSync(fd, buffer, 0, buffer.length, null)), close: () => fs.closeSync(fd) };
}

function guarded(file: string, read: () => number): number {
    try {
        return read();
    } catch (error) {
        throw new InputError(`${file}: cannot read: ${why(error)}`);
    }
}

/** The process's own stdin, read synchronously (waiting while a non-blocking descriptor has nothing yet). */
export function processStdin(): ByteSource {
    const pause = new Int32Array(new SharedArrayBuffer(4));
    return {
        read(buffer) {
            for (;;) {
                try {
                    return fs.readSync(0, buffer, 0, buffer.length, null);
                } catch (error) {
                    const code = (error as NodeJS.ErrnoException).code;
                    if (code === "EAGAIN") Atomics.wait(pause, 0, 0, 5);
                    else if (code === "EOF") return 0;
                    else throw error;
                }
            }
        },
    };
}

/** Text already in memory (tests, `readStdin`). */
export function bytesOf(text: string | Uint8Array): ByteSource {
    const bytes = typeof text === "string" ? Buffer.from(text, "utf8") : text;
    let offset = 0;
    return {
        read(buffer) {
            const n = Math.min(buffer.length, bytes.length - offset);
            buffer.set(bytes.subarray(offset, offset + n));
            offset += n;
            return n;
        },
    };
}
