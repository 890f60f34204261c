/**
 * From a decoded document to the objects kubectl sends, as its resource builder does (k8s.io/cli-runtime
 * v0.37.2: StreamVisitor, FlattenListVisitor; apimachinery's unstructured JSON scheme):
 *
 * - an empty document (null) is skipped;
 * - anything but a mapping is refused ("cannot unmarshal … into Go value");
 * - an object with an `items` key — whatever its kind, even `items: null` — is a list: it stands for its items
 *   (none for null; `items` that is not a sequence is refused); the list needs a kind; an item that is null or
 *   has neither kind nor apiVersion takes the list's kind without its `List` suffix and the list's apiVersion
 *   (a PodList's bare items are Pods); an item that is itself a list (`items` a sequence) is refused (kubectl
 *   cannot flatten it: "no Items field");
 * - every object needs a kind, a non-empty string ("Object 'Kind' is missing").
 */

import { DecodeError } from "./errors";

export interface ManifestObject {
    /** The document's number, or `N/items/M` for an item of a list. */
    document: number | string;
    /** 1-based line of the document's first content line. */
    line: number;
    object: Record<string, unknown>;
    /** The document's text, where it starts, and where the object is in it (an item of a list): to find a field's line. */
    source?: DocumentSource;
}

export interface DocumentSource {
    text: string;
    line: number;
    column: number;
    /** The object's path in the document: [] or ["items", M]. */
    path: (string | number)[];
}

type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject => typeof value === "object" && value !== null && !Array.isArray(value);
const kindOf = (object: JsonObject): string => (typeof object.kind === "string" ? object.kind : "");
const describe = (value: unknown): string => (Array.isArray(value) ? "a sequence" : value === null ? "null" : `a ${typeof value === "number" ? "number" : typeof value === "boolean" ? "boolean" : "string"}`);

export function kubectlObjects(value: unknown, document: number, line: number, text?: Omit<DocumentSource, "path">): ManifestObject[] {
    if (value === null || value === undefined) return [];
    const fail = (what: string, where: number | string = document) => new DecodeError(what, line, undefined, where);
    if (!isObject(value)) throw fail(`not a Kubernetes object but ${describe(value)}: kubectl refuses it`);
    if (!Object.prototype.hasOwnProperty.call(value, "items")) {
        if (!kindOf(value)) throw fail("no kind: kubectl refuses an object without one (Object 'Kind' is missing)");
        return [{ document, line, object: value, ...(text ? { source: { ...text, path: [] } } : {}) }];
    }
    const listKind = kindOf(value);
    const items = value.items;
    if (items !== null && !Array.isArray(items)) throw fail(`items is ${describe(items)}, not a sequence: kubectl refuses the list`);
    if (!listKind) throw fail("a list (it has items) without a kind: kubectl refuses it (Object 'Kind' is missing)");
    return ((items as unknown[] | null) ?? []).map((item, index) => {
        const where = `${document}/items/${index}`;
        if (item !== null && !isObject(item)) throw fail(`not a Kubernetes object but ${describe(item)}: kubectl refuses the list`, where);
        let object: JsonObject = item ?? {};
        if (!kindOf(object) && !(typeof object.apiVersion === "string" && object.apiVersion)) {
            object = { ...object, kind: listKind.replace(/List$/, ""), apiVersion: value.apiVersion };
        }
        if (Array.isArray(object.items)) throw fail("a list inside a list: kubectl cannot flatten it (no Items field)", where);
        if (!kindOf(object)) throw fail("no kind: kubectl refuses an object without one (Object 'Kind' is missing)", where);
        return { document: where, line, object, ...(text ? { source: { ...text, path: ["items", index] } } : {}) };
    });
}
