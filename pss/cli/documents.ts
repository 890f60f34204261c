/** Reads the YAML documents of the CLI's inputs, turning every way they can be bad into one clear line. */

import * as fs from "fs";
import { parseAllDocuments } from "yaml";

export class InputError extends Error {}

export interface InputDocument {
    file: string;
    /** 0-based index of the document in its file. */
    document: number;
    object: unknown;
}

export function readInput(file: string, readStdin: () => string): string {
    try {
        return file === "-" ? readStdin() : fs.readFileSync(file, "utf8");
    } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : code === "EACCES" ? "permission denied" : String((error as Error).message);
        throw new InputError(`${file}: cannot read: ${why}`);
    }
}

/** Every document of one file; `kind: List` documents stand for their items. Empty documents are skipped. */
export function parseDocuments(file: string, text: string): InputDocument[] {
    const documents = parseAllDocuments(text);
    const list = Array.isArray(documents) ? documents : [documents];
    const result: InputDocument[] = [];
    list.forEach((document, index) => {
        const error = document.errors[0];
        if (error) {
            const [line, column] = error.linePos?.[0] ? [error.linePos[0].line, error.linePos[0].col] : ["?", "?"];
            throw new InputError(`${file}: line ${line}, column ${column}: invalid YAML: ${error.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "")}`);
        }
        const object = document.toJS({ maxAliasCount: 1000 });
        if (object === null || object === undefined) {
            return;
        }
        const items = isList(object) ? object.items : [object];
        for (const item of items) {
            result.push({ file, document: index, object: item });
        }
    });
    return result;
}

function isList(object: unknown): object is { items: unknown[] } {
    const o = object as { kind?: unknown; items?: unknown };
    return typeof o === "object" && o !== null && typeof o.kind === "string" && o.kind.endsWith("List") && Array.isArray(o.items);
}
