/**
 * Lines kept for printing at the end: in memory up to a budget, then in a temporary file, so that a report on
 * a very large input keeps memory flat. Lines must not contain "\n".
 */

import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const WRITE_BATCH = 1 << 16;

export class Spool {
    private lines: string[] = [];
    private size = 0;
    private file?: { dir: string; path: string; fd: number };
    private batch = "";

    constructor(private readonly budget = 2 << 20) {}

    push(line: string): void {
        if (this.file) {
            this.batch += `${line}\n`;
            if (this.batch.length >= WRITE_BATCH) this.flushBatch();
            return;
        }
        this.lines.push(line);
        this.size += line.length;
        if (this.size > this.budget) this.spill();
    }

    *read(): Generator<string> {
        if (!this.file) {
            yield* this.lines;
            return;
        }
        this.flushBatch();
        const buffer = Buffer.alloc(1 << 20);
        let rest = "";
        let position = 0;
        for (;;) {
            const n = fs.readSync(this.file.fd, buffer, 0, buffer.length, position);
            if (n === 0) break;
            position += n;
            const text = rest + buffer.toString("utf8", 0, n);
            const lines = text.split("\n");
            rest = lines.pop() ?? "";
            yield* lines;
        }
        if (rest) yield rest;
    }

    dispose(): void {
        if (!this.file) return;
        fs.closeSync(this.file.fd);
        fs.rmSync(this.file.dir, { recursive: true, force: true });
        this.file = undefined;
    }

    private spill(): void {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pss-spool-"));
        const file = path.join(dir, "lines");
        this.file = { dir, path: file, fd: fs.openSync(file, "w+") };
        for (const line of this.lines) this.push(line);
        this.lines = [];
        this.size = 0;
    }

    private flushBatch(): void {
        if (this.file && this.batch) {
            // Buffers written as UTF-8; a partial multi-byte character never splits a line.
            fs.writeSync(this.file.fd, this.batch);
            this.batch = "";
        }
    }
}
