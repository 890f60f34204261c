/**
 * Splits a stream into documents as kubectl does (k8s.io/apimachinery v0.37.2 pkg/util/yaml,
 * NewYAMLOrJSONDecoder(r, 4096)), streaming:
 *
 * - **JSON** when the first non-space character of the first 4096 bytes is `{`: a sequence of JSON values
 *   (`{…} {…}`, with or without whitespace between). If one of the first two values is not valid JSON, the
 *   rest of the stream, from the end of the last good value (and past its line's end), is read as YAML; after
 *   two good values, invalid JSON is an error.
 * - **YAML** otherwise: a document ends at a line starting with `---`; the rest of that line may only be
 *   spaces or a comment, anything else (`--- !!map`, `---foo`, `----`) is an error ("invalid document
 *   separator"). A `---` with nothing before it starts no empty document. `...` does not split: a document's
 *   text after it is ignored, as go-yaml decodes only the first document it is given.
 *
 * Documents are numbered from 0 as YAML numbers them: the text before the first `---` is a document only if
 * it holds more than comments, blank lines and directives.
 */

import { DecodeError } from "./errors";

export interface RawDocument {
    /** Document number in its file, from 0. */
    index: number;
    /** The document's text (YAML, or the JSON value's). */
    text: string;
    /** The parsed value (for a JSON document). */
    json?: { value: unknown };
    /** 1-based line of the document's first line. */
    line: number;
    /** 1-based column its text starts at on that line (a JSON value may follow another on its line). */
    column: number;
    /** 1-based line of its first line that is not blank or a comment (for messages). */
    contentLine: number;
}

const JSON_SNIFF = 4096;

class Input {
    buf = "";
    pos = 0;
    /** Line number of `pos`. */
    line = 1;
    done = false;

    constructor(private readonly pieces: Iterator<string>) {}

    /** Appends the next piece, dropping what is before `keep`; returns false at the end. */
    more(keep: number): boolean {
        const next = this.pieces.next();
        if (next.done) {
            this.done = true;
            return false;
        }
        this.buf = this.buf.slice(keep) + next.value;
        this.pos -= keep;
        return true;
    }

    /** Line and column of `offset` (which must be at or after `pos`). */
    lineColumn(offset: number): [number, number] {
        let line = this.line;
        let lineStart = this.buf.lastIndexOf("\n", this.pos - 1) + 1;
        for (let i = this.buf.indexOf("\n", this.pos); i !== -1 && i < offset; i = this.buf.indexOf("\n", i + 1)) {
            line++;
            lineStart = i + 1;
        }
        return [line, offset - lineStart + 1];
    }

    advanceTo(offset: number): void {
        for (let i = this.buf.indexOf("\n", this.pos); i !== -1 && i < offset; i = this.buf.indexOf("\n", i + 1)) this.line++;
        this.pos = offset;
    }
}

export function* rawDocuments(pieces: Iterable<string>): Generator<RawDocument> {
    const input = new Input(pieces[Symbol.iterator]());
    while (input.buf.length < JSON_SNIFF && input.more(0));
    let base = 0;
    if (input.buf.slice(0, JSON_SNIFF).trimStart().startsWith("{")) {
        base = yield* jsonDocuments(input);
        if (base < 0) return;
    }
    yield* yamlDocuments(input, base);
}

/** JSON values; returns -1 at the end of the stream, or how many were read before switching to YAML. */
function* jsonDocuments(input: Input): Generator<RawDocument, number> {
    let count = 0;
    for (;;) {
        // input.pos is just after the last good value: kubectl rewinds there if JSON fails.
        let start = input.pos;
        let end = -1;
        for (;;) {
            start = skipJsonSpace(input.buf, input.pos);
            if (start < input.buf.length) {
                end = jsonValueEnd(input.buf, start, input.done);
                if (end !== -1) break;
            }
            if (!input.more(input.pos)) break;
        }
        if (start >= input.buf.length) return -1;
        let value: unknown;
        let text = "";
        let problem: string | undefined = end === -1 ? "unexpected end of JSON input" : undefined;
        if (end !== -1) {
            try {
                text = input.buf.slice(start, end);
                value = JSON.parse(text);
            } catch (error) {
                problem = (error as Error).message;
            }
        }
        if (problem !== undefined) {
            if (count > 1) {
                const [line, column] = input.lineColumn(start);
                throw new DecodeError(`invalid JSON: ${problem}`, line, column);
            }
            // Not JSON after all (or no longer): YAML from just after the last good value, past its line's end.
            consumeSpaceToNewline(input);
            return count;
        }
        const [line, column] = input.lineColumn(start);
        input.advanceTo(end);
        yield { index: count, text, json: { value }, line, column, contentLine: line };
        count++;
    }
}

/** The first offset from `from` that is not JSON whitespace. */
function skipJsonSpace(buf: string, from: number): number {
    let i = from;
    while (i < buf.length) {
        const c = buf.charCodeAt(i);
        if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
        i++;
    }
    return i;
}

/** End (exclusive) of the JSON value starting at `start`, or -1 if it is not complete in `buf`. */
function jsonValueEnd(buf: string, start: number, atEnd: boolean): number {
    const first = buf.charCodeAt(start);
    if (first === 0x7b || first === 0x5b) {
        let depth = 0;
        for (let i = start; i < buf.length; i++) {
            const c = buf.charCodeAt(i);
            if (c === 0x22) {
                i = stringEnd(buf, i);
                if (i === -1) return -1;
            } else if (c === 0x7b || c === 0x5b) depth++;
            else if (c === 0x7d || c === 0x5d) {
                if (--depth === 0) return i + 1;
            }
        }
        return -1;
    }
    if (first === 0x22) {
        const end = stringEnd(buf, start);
        return end === -1 ? -1 : end + 1;
    }
    let i = start;
    while (i < buf.length && !/[\s{}[\],:"]/.test(buf[i])) i++;
    return i < buf.length || atEnd ? Math.max(i, start + 1) : -1;
}

/** Index of the closing quote of the string opening at `start`, or -1. */
function stringEnd(buf: string, start: number): number {
    for (let i = start + 1; i < buf.length; i++) {
        const c = buf.charCodeAt(i);
        if (c === 0x5c) i++;
        else if (c === 0x22) return i;
    }
    return -1;
}

/** kubectl's consumeWhitespace: spaces up to and including the first newline. */
function consumeSpaceToNewline(input: Input): void {
    let i = input.pos;
    while (i < input.buf.length && /\s/.test(input.buf[i])) {
        i++;
        if (input.buf[i - 1] === "\n") break;
    }
    input.advanceTo(i);
}

function* yamlDocuments(input: Input, base: number): Generator<RawDocument> {
    let docStart = input.pos;
    let docLine = input.line;
    let contentLine = 0;
    let separators = 0;
    let prefixHasContent = false;
    let lineStart = input.pos;
    let line = input.line;
    const emit = (end: number): RawDocument => {
        const index = base + (separators === 0 ? 0 : separators - 1 + (prefixHasContent ? 1 : 0));
        return { index, text: input.buf.slice(docStart, end), line: docLine, column: 1, contentLine: contentLine || docLine };
    };
    for (;;) {
        let newline = input.buf.indexOf("\n", lineStart);
        if (newline === -1 && !input.done) {
            const keep = docStart;
            if (input.more(keep)) {
                lineStart -= keep;
                docStart = 0;
                continue;
            }
        }
        const end = newline === -1 ? input.buf.length : newline;
        if (lineStart >= input.buf.length) break;
        if (input.buf.startsWith("---", lineStart)) {
            const rest = input.buf.slice(lineStart + 3, end).trim();
            if (rest !== "" && rest[0] !== "#") {
                throw new DecodeError(`invalid document separator: ${rest} (only spaces or a comment may follow --- on its line)`, line, 4);
            }
            if (docStart < lineStart) yield emit(lineStart);
            separators++;
            docStart = end + 1;
            docLine = line + 1;
            contentLine = 0;
        } else if (contentLine === 0 && !isBlankOrComment(input.buf, lineStart, end)) {
            contentLine = line;
            if (separators === 0) prefixHasContent = true;
        }
        line++;
        if (newline === -1) {
            lineStart = input.buf.length;
            break;
        }
        lineStart = newline + 1;
    }
    if (docStart < input.buf.length) yield emit(input.buf.length);
}

function isBlankOrComment(buf: string, start: number, end: number): boolean {
    for (let i = start; i < end; i++) {
        const c = buf.charCodeAt(i);
        if (c === 0x20 || c === 0x09 || c === 0x0d) continue;
        return c === 0x23 /* # */ || c === 0x25 /* % directive */;
    }
    return true;
}
