/**
 * Reads manifests as `kubectl apply -f` does, streaming: bytes to text (text.ts), the stream split into JSON
 * values or YAML documents (stream.ts), each YAML document decoded as go-yaml v2 + sigs.k8s.io/yaml decode it
 * (fastYaml.ts, or goYaml.ts where the fast path cannot vouch for the result), then the objects kubectl would
 * send, lists flattened (objects.ts). Every problem is a DecodeError with its line.
 */

import { DecodeError, GoYamlError, YamlSyntaxProblem } from "./errors";
import { fastDecode } from "./fastYaml";
import { exactDecode } from "./goYaml";
import { kubectlObjects, ManifestObject } from "./objects";
import { RawDocument, rawDocuments } from "./stream";
import { ByteSource, textPieces } from "./text";

export { DecodeError } from "./errors";
export type { DocumentSource, ManifestObject } from "./objects";
export type { ByteSource } from "./text";

/**
 * Every object kubectl would send for `source`, in order; documents that are empty give none. With
 * `withSource`, each object keeps its document's text, to find a field's line and column later.
 */
export function* manifestObjects(source: ByteSource, withSource = false): Generator<ManifestObject> {
    for (const document of rawDocuments(textPieces(source))) {
        const value = document.json ? document.json.value : decodeYaml(document);
        const text = withSource ? { text: document.text, line: document.line, column: document.column } : undefined;
        yield* kubectlObjects(value, document.index, document.contentLine, text);
    }
}

/** The value of one YAML document (null when empty), or a DecodeError. */
export function decodeYaml(document: Pick<RawDocument, "text" | "index" | "line" | "contentLine">): unknown {
    // go-yaml drops a byte-order mark at the start of what it reads.
    const text = document.text.charCodeAt(0) === 0xfeff ? document.text.slice(1) : document.text;
    const fast = fastDecode(text);
    if (fast) return fast.value;
    try {
        return exactDecode(text);
    } catch (error) {
        if (error instanceof GoYamlError) {
            if (error.offset === undefined) throw new DecodeError(`invalid YAML: ${error.message}`, document.contentLine, undefined, document.index);
            const [line, column] = lineColumn(text, error.offset);
            throw new DecodeError(`invalid YAML: ${error.message}`, document.line + line - 1, column, document.index);
        }
        if (isSyntaxProblem(error)) throw new DecodeError(`invalid YAML: ${error.message}`, document.line + error.line - 1, error.column, document.index);
        throw error;
    }
}

function isSyntaxProblem(error: unknown): error is YamlSyntaxProblem {
    return typeof error === "object" && error !== null && typeof (error as YamlSyntaxProblem).line === "number" && typeof (error as YamlSyntaxProblem).message === "string";
}

function lineColumn(text: string, offset: number): [number, number] {
    let line = 1;
    let start = 0;
    for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
        line++;
        start = i + 1;
    }
    return [line, offset - start + 1];
}
