/** Splits streamed text into lines without holding more than one line, and never more than a bound of one. */

/** Far above any Pod write event (etcd refuses requests over 1.5 MiB); a longer "line" is not an event. */
export const MAX_LINE_BYTES = 64 * 1024 * 1024;

/** What a line splitter yields: a line's text, or the fact that a line was too long to keep. */
export type AuditLine = string | { overlong: number };

/** Lines of `chunks`, `\n` or `\r\n` ended; a last line without an end is yielded too. */
export async function* auditLines(chunks: AsyncIterable<Buffer>, maxLineBytes = MAX_LINE_BYTES): AsyncGenerator<AuditLine> {
    let parts: Buffer[] = [];
    let length = 0;
    let overlong = false;
    const finish = (): AuditLine => {
        const line: AuditLine = overlong ? { overlong: length } : Buffer.concat(parts, length).toString("utf8").replace(/\r$/, "");
        parts = [];
        length = 0;
        overlong = false;
        return line;
    };
    const keep = (part: Buffer) => {
        length += part.length;
        if (length > maxLineBytes) {
            overlong = true;
            parts = [];
        } else if (!overlong) {
            parts.push(part);
        }
    };
    for await (const chunk of chunks) {
        let start = 0;
        for (let end = chunk.indexOf(0x0a); end !== -1; end = chunk.indexOf(0x0a, start)) {
            keep(chunk.subarray(start, end));
            yield finish();
            start = end + 1;
        }
        if (start < chunk.length) keep(chunk.subarray(start));
    }
    if (length > 0 || overlong) yield finish();
}
