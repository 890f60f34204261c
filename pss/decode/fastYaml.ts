/**
 * The fast path for one YAML document: js-yaml's loader, whose scanner is about ten times faster than the
 * `yaml` package's, with a schema that resolves plain scalars as go-yaml v2 does (goScalar.ts). It takes only
 * the documents whose meaning it can vouch for, and hands every other one to the exact path (goYaml.ts), which
 * also words the errors: anchors and aliases, tags, merge keys, duplicate keys, keys that are not plain strings
 * to js-yaml (null, floats, integers beyond 2^53, collections, empty keys), NaN and infinities, a second
 * document after `...` (js-yaml's load refuses it), and anything js-yaml rejects.
 */

import { load as jsYamlLoad, LoadOptions, Schema as JsYamlSchema, Type as JsYamlType } from "js-yaml";
import { resolvePlain } from "./goScalar";

/** Thrown (and caught below) where the fast path cannot vouch for the result. */
class Fallback {}
const FALLBACK = new Fallback();

/** js-yaml's String() of resolved values that would be wrong as map keys (sigs.k8s.io/yaml spells them otherwise or refuses them). */
let riskyKeys: Set<string> | undefined;
let lastValue: unknown;

const goPlainScalar = new JsYamlType("tag:yaml.org,2002:go-yaml-v2-plain", {
    kind: "scalar",
    resolve(text: string): boolean {
        if (text === "<<") throw FALLBACK; // a merge key (or "<<" as a value: the exact path decides)
        const resolved = resolvePlain(text);
        switch (resolved.type) {
            case "string":
                return false;
            case "bool":
                lastValue = resolved.value;
                return true;
            case "null":
                (riskyKeys ??= new Set()).add("null");
                lastValue = null;
                return true;
            case "float":
                if (!Number.isFinite(resolved.value)) throw FALLBACK; // JSON has no NaN or Inf: kubectl fails
                (riskyKeys ??= new Set()).add(String(resolved.value));
                lastValue = resolved.value;
                return true;
            default: {
                const value = Number(resolved.value);
                if (!Number.isSafeInteger(value)) (riskyKeys ??= new Set()).add(String(value));
                if (resolved.type === "uint") (riskyKeys ??= new Set()).add(String(value));
                lastValue = value;
                return true;
            }
        }
    },
    construct: () => lastValue,
});

/** No explicit types at all: any tag but `!` makes js-yaml fail, and the exact path takes the document. */
const SCHEMA = new JsYamlSchema({ implicit: [goPlainScalar] });

const anchorListener = (event: string, state: { anchor: string | null }) => {
    if (event === "close" && state.anchor !== null) throw FALLBACK;
};

const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || Number.isNaN(c);

/**
 * Whether the text may hold a complex or empty mapping key (`? …`, `[a]: b`, `{a: 1}: b`, `: b`), which
 * js-yaml would turn into a string: a `?` or `:` that stands alone, or a `:` right after a closing bracket.
 * Cheap and conservative: a false alarm only sends the document down the exact path.
 */
function mayHaveComplexOrEmptyKey(text: string): boolean {
    for (let i = text.indexOf("?"); i !== -1; i = text.indexOf("?", i + 1)) {
        if (isSpace(text.charCodeAt(i + 1)) && (i === 0 || isSpace(text.charCodeAt(i - 1)) || "[{,".includes(text[i - 1]))) return true;
    }
    for (const close of ["]", "}"]) {
        for (let i = text.indexOf(close); i !== -1; i = text.indexOf(close, i + 1)) {
            let j = i + 1;
            while (text.charCodeAt(j) === 0x20 || text.charCodeAt(j) === 0x09) j++;
            if (text.charCodeAt(j) === 0x3a /* : */) return true;
        }
    }
    for (const before of [" :", "\t:", "\n:", "[:", "{:", ",:"]) {
        for (let i = text.indexOf(before); i !== -1; i = text.indexOf(before, i + 1)) {
            if (isSpace(text.charCodeAt(i + 2)) || "]},".includes(text[i + 2] ?? "")) return true;
        }
    }
    return text.startsWith(":") && (isSpace(text.charCodeAt(1)) || text.length === 1);
}

/** The document's value as go-yaml v2 + sigs.k8s.io/yaml make it, or undefined when the exact path must decide. */
export function fastDecode(text: string): { value: unknown } | undefined {
    if (mayHaveComplexOrEmptyKey(text)) return undefined;
    riskyKeys = undefined;
    try {
        const options = {
            schema: SCHEMA,
            json: false, // duplicate keys throw; go-yaml keeps the last, the exact path does too
            ...(text.includes("&") ? { listener: anchorListener } : {}),
        };
        const value = jsYamlLoad(text, options as LoadOptions);
        if (riskyKeys !== undefined && hasKeyIn(value, riskyKeys)) return undefined;
        return { value: value === undefined ? null : value };
    } catch {
        return undefined;
    } finally {
        riskyKeys = undefined;
    }
}

function hasKeyIn(root: unknown, keys: Set<string>): boolean {
    const stack: unknown[] = [root];
    while (stack.length > 0) {
        const node = stack.pop();
        if (typeof node !== "object" || node === null) continue;
        if (Array.isArray(node)) {
            for (const item of node) if (typeof item === "object" && item !== null) stack.push(item);
            continue;
        }
        for (const key in node) {
            if (keys.has(key)) return true;
            const child = (node as Record<string, unknown>)[key];
            if (typeof child === "object" && child !== null) stack.push(child);
        }
    }
    return false;
}
