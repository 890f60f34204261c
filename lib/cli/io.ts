/**
 * What a command needs from the process: two output streams, stdin, and the folder the user stands in. The
 * real process is `processIo()`; tests pass strings in and read them back.
 */

import * as fs from "fs";

/** Bytes read on demand (a file, stdin, text in memory): fills `buffer` from the start, returns 0 at the end. */
export interface ByteReader {
    read(buffer: Uint8Array): number;
}

export interface CliIo {
    stdout(text: string): void;
    stderr(text: string): void;
    /** Stdin, read as the command needs it; none: empty. */
    stdin?: () => ByteReader;
    /** The folder relative paths are read from; none: the process's (see userDir for the real command). */
    cwd?: string;
}

/** The process's own streams, written synchronously so that output never piles up in memory. */
export function processIo(cwd: string): CliIo {
    return { stdout: (text) => writeAll(1, text), stderr: (text) => writeAll(2, text), stdin: processStdin, cwd };
}

/** Waits a few milliseconds without a timer: the writes and reads here are synchronous. */
function pause(): void {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
}

/** Synchronous writes (pipes included); a reader that went away (EPIPE) ends the output quietly. */
function writeAll(fd: number, text: string): void {
    let buffer = Buffer.from(text, "utf8");
    while (buffer.length > 0) {
        try {
            buffer = buffer.subarray(fs.writeSync(fd, buffer));
        } catch (error) {
            const code = (error as NodeJS.ErrnoException).code;
            if (code === "EAGAIN") pause();
            else if (code === "EPIPE") return;
            else throw error;
        }
    }
}

/** The process's stdin, read synchronously (waiting while a non-blocking descriptor has nothing yet). */
function processStdin(): ByteReader {
    return {
        read(buffer) {
            for (;;) {
                try {
                    return fs.readSync(0, buffer, 0, buffer.length, null);
                } catch (error) {
                    const code = (error as NodeJS.ErrnoException).code;
                    if (code === "EAGAIN") pause();
                    else if (code === "EOF") return 0;
                    else throw error;
                }
            }
        },
    };
}
