/** Opens the CLI's inputs as byte sources, read piece by piece; a file that cannot be read is one clear line. */

import * as fs from "fs";
import * as path from "path";
import { describeFsError } from "../../lib/cli/errors";
import { ByteSource } from "../decode";

export class InputError extends Error {}

export interface OpenInput extends ByteSource {
    close(): void;
}

/** A file by name, relative to `cwd` (the user's folder), or stdin for `-`. */
export function openInput(file: string, cwd: string, stdin: () => ByteSource): OpenInput {
    if (file === "-") {
        const source = stdin();
        return { read: (buffer) => guarded(file, () => source.read(buffer)), close: () => undefined };
    }
    let fd: number;
    try {
        fd = fs.openSync(path.resolve(cwd, file), "r");
    } catch (error) {
        throw new InputError(`${file}: cannot read: ${describeFsError(error)}`);
    }
    return { read: (buffer) => guarded(file, () => fs.readSync(fd, buffer, 0, buffer.length, null)), close: () => fs.closeSync(fd) };
}

function guarded(file: string, read: () => number): number {
    try {
        return read();
    } catch (error) {
        throw new InputError(`${file}: cannot read: ${describeFsError(error)}`);
    }
}

/** Text already in memory (tests, a command's stdin when it has none). */
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
