/**
 * Where a field is in a document's text: its line and column, for reports that point at it (SARIF). The
 * document is parsed again, by the `yaml` package (JSON is YAML too), only when a report asks; a field that
 * is not written (a securityContext left out) is placed at the deepest part of its path that is.
 */

import type { Node, Pair } from "yaml";
import type { DocumentSource } from "./objects";

export interface FieldPosition {
    line: number;
    column: number;
    /** The part of the path that is written: the field itself, or the object it is missing from. */
    found: (string | number)[];
}

let yamlModule: typeof import("yaml") | undefined;
const yaml = () => (yamlModule ??= require("yaml") as typeof import("yaml"));

/** Parses a document once for any number of look-ups. */
export function documentLocator(source: DocumentSource): (path: (string | number)[]) => FieldPosition {
    const { parseDocument, LineCounter, isMap, isSeq, isScalar } = yaml();
    const lines = new LineCounter();
    const document = parseDocument(source.text, { lineCounter: lines, uniqueKeys: false, strict: false });
    const position = (offset: number) => {
        const { line, col } = lines.linePos(offset);
        return { line: source.line + line - 1, column: line === 1 ? source.column + col - 1 : col };
    };
    return (path) => {
        const full = [...source.path, ...path];
        let node = document.contents as Node | null;
        let offset = node?.range?.[0] ?? 0;
        let depth = 0;
        for (const key of full) {
            let next: Node | null | undefined;
            let at: number | undefined;
            if (isMap(node)) {
                // The last of duplicate keys: the one the decoder (like kubectl) keeps.
                const pair = [...(node.items as Pair[])].reverse().find((item) => isScalar(item.key) && String(item.key.value) === String(key));
                next = pair?.value as Node | null | undefined;
                at = (pair?.key as Node | undefined)?.range?.[0];
            } else if (isSeq(node) && typeof key === "number") {
                next = node.items[key] as Node | undefined;
                at = next?.range?.[0];
            }
            if (at === undefined) break;
            offset = at;
            node = next ?? null;
            depth++;
        }
        return { ...position(offset), found: full.slice(source.path.length, Math.max(depth, source.path.length)) };
    };
}
