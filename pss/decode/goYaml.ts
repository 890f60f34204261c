/**
 * The exact path for one YAML document: the `yaml` package's parser gives the node tree (anchors, aliases,
 * tags, scalar styles, positions), and this walks it as go-yaml v2's decoder walks its own
 * (go.yaml.in/yaml/v2 v2.4.4 decode.go, under sigs.k8s.io/yaml v1.6.0's YAMLToJSON, which kubectl uses):
 *
 * - only the first document of the text counts (yaml.Unmarshal decodes one; kubectl's reader never splits at `...`);
 * - a duplicate key keeps the last value;
 * - a merge key (`<<` plain, or tagged `!!merge`) takes a mapping, an alias of one, or a sequence of those, and
 *   writes their keys into the mapping *over* the keys written before it (go-yaml v2 does not keep earlier
 *   keys, unlike the YAML merge spec); in a sequence the earlier mappings win; keys after the merge win over it;
 * - every alias is expanded afresh, counted as go-yaml counts decode operations, and a document whose decoding
 *   is mostly alias expansion fails with go-yaml's own rule ("document contains excessive aliasing": more than
 *   100 alias decodes, more than 1000 decodes, and an alias share above 99 %, falling to 10 % between 400,000
 *   and 4,000,000 decodes); an alias inside its own anchor fails ("anchor 'x' value contains itself");
 * - then sigs.k8s.io/yaml's JSON conversion: keys become strings (goKeyString), null and uint64 keys, and a
 *   mapping or sequence as a key, are errors; NaN and ±Inf values are errors (encoding/json refuses them).
 *   Two different keys that become the same string (`1` and `"1"`) are an error here: Go's map order makes
 *   kubectl keep either one at random.
 */

import type { Alias, Node, Pair, Scalar } from "yaml";
import { GoYamlError, YamlSyntaxProblem } from "./errors";
import { goKeyString, GoScalar, MERGE, resolveScalar, ScalarError } from "./goScalar";

type GoValue = GoScalar | GoValue[] | GoMap;
/** go-yaml's map[interface{}]interface{}: keys compared by Go type and value. */
type GoMap = Map<string, { key: GoScalar; value: GoValue }>;

const keyId = (key: GoScalar): string =>
    key.type === "float" && Number.isNaN(key.value) ? `nan:${Math.random()}` : `${key.type}:${key.type === "float" && key.value === 0 ? 0 : String(key.value)}`;

const ALIAS_RATIO_LOW = 400_000;
const ALIAS_RATIO_HIGH = 4_000_000;
function allowedAliasRatio(decodeCount: number): number {
    if (decodeCount <= ALIAS_RATIO_LOW) return 0.99;
    if (decodeCount >= ALIAS_RATIO_HIGH) return 0.1;
    return 0.99 - 0.89 * ((decodeCount - ALIAS_RATIO_LOW) / (ALIAS_RATIO_HIGH - ALIAS_RATIO_LOW));
}

type YamlNode = Node | Pair | null | undefined;

/** The `yaml` package, loaded on first use: it alone takes longer to load than a small run of the CLI takes. */
let yamlModule: typeof import("yaml") | undefined;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const yaml = () => (yamlModule ??= require("yaml") as typeof import("yaml"));
const isAlias = (node: unknown): node is Alias => yaml().isAlias(node);
const isMap = (node: unknown): node is import("yaml").YAMLMap => yaml().isMap(node);
const isSeq = (node: unknown): node is import("yaml").YAMLSeq => yaml().isSeq(node);
const isScalar = (node: unknown): node is Scalar => yaml().isScalar(node);
const isPair = (node: unknown): node is Pair => yaml().isPair(node);

class Decoder {
    /** go-yaml's count starts with the document node itself. */
    private decodeCount = 1;
    private aliasCount = 0;
    private aliasDepth = 0;
    private readonly expanding = new Set<Alias>();

    constructor(private readonly targets: Map<Alias, Node | undefined>) {}

    private count(): void {
        this.decodeCount++;
        if (this.aliasDepth > 0) this.aliasCount++;
        if (this.aliasCount > 100 && this.decodeCount > 1000 && this.aliasCount / this.decodeCount > allowedAliasRatio(this.decodeCount)) {
            throw new GoYamlError("document contains excessive aliasing");
        }
    }

    /** d.unmarshal(n, out): `into` is the map a merge writes into. */
    unmarshal(node: YamlNode, into?: GoMap): GoValue {
        this.count();
        if (isAlias(node)) return this.alias(node, into);
        if (isMap(node)) return this.mapping(node.items as Pair[], into ?? new Map());
        if (isSeq(node)) return (node.items as YamlNode[]).map((item) => this.unmarshal(item));
        return this.scalar(node as Scalar | null | undefined);
    }

    private alias(node: Alias, into?: GoMap): GoValue {
        if (this.expanding.has(node)) throw new GoYamlError(`anchor '${node.source}' value contains itself`, node.range?.[0]);
        const target = this.targets.get(node);
        if (!target) throw new GoYamlError(`unknown anchor '${node.source}' referenced`, node.range?.[0]);
        this.expanding.add(node);
        this.aliasDepth++;
        try {
            return this.unmarshal(target, into);
        } finally {
            this.aliasDepth--;
            this.expanding.delete(node);
        }
    }

    private scalar(node: Scalar | null | undefined): GoScalar {
        if (!node) return { type: "null", value: null }; // an empty node: go-yaml reads an empty plain scalar
        try {
            return resolveScalar(String(node.value ?? ""), node.type === "PLAIN" || node.type === undefined, node.tag === "!" ? "!" : node.tag);
        } catch (error) {
            if (error instanceof ScalarError) throw new GoYamlError(error.message, node.range?.[0]);
            throw error;
        }
    }

    private mapping(pairs: Pair[], out: GoMap): GoMap {
        for (const pair of pairs) {
            if (isMergeKey(pair.key as YamlNode)) {
                this.merge(pair.value as YamlNode, out);
                continue;
            }
            const key = this.unmarshal(pair.key as YamlNode);
            if (Array.isArray(key) || key instanceof Map) {
                throw new GoYamlError(`invalid map key: a ${Array.isArray(key) ? "sequence" : "mapping"}`, (pair.key as Node | null)?.range?.[0]);
            }
            const value = this.unmarshal(pair.value as YamlNode);
            out.set(keyId(key), { key, value });
        }
        return out;
    }

    private merge(node: YamlNode, out: GoMap): void {
        const wantMap = () => new GoYamlError("map merge requires map or sequence of maps as the value", (node as Node | null)?.range?.[0]);
        if (isMap(node)) {
            this.unmarshal(node, out);
        } else if (isAlias(node)) {
            if (!isMap(this.targets.get(node))) throw wantMap();
            this.unmarshal(node, out);
        } else if (isSeq(node)) {
            const items = node.items as YamlNode[];
            // Backwards: earlier mappings take precedence.
            for (let i = items.length - 1; i >= 0; i--) {
                const item = items[i];
                if (isAlias(item) ? !isMap(this.targets.get(item)) : !isMap(item)) throw wantMap();
                this.unmarshal(item, out);
            }
        } else {
            throw wantMap();
        }
    }
}

/** isMerge: a scalar `<<` that is plain and untagged, or tagged !!merge. */
function isMergeKey(node: YamlNode): boolean {
    return isScalar(node) && node.value === "<<" && ((node.type === "PLAIN" && (node.tag === undefined || node.tag === "!")) || node.tag === MERGE);
}

/** Every alias's node: the latest anchor of its name defined before it (go-yaml registers an anchor before reading the node's content). */
function aliasTargets(root: YamlNode): Map<Alias, Node | undefined> {
    const anchors = new Map<string, Node>();
    const targets = new Map<Alias, Node | undefined>();
    const visit = (node: YamlNode): void => {
        if (!node) return;
        if (isAlias(node)) {
            targets.set(node, anchors.get(node.source));
            return;
        }
        if (isPair(node)) {
            visit(node.key as YamlNode);
            visit(node.value as YamlNode);
            return;
        }
        const anchor = (node as { anchor?: string }).anchor;
        if (anchor) anchors.set(anchor, node as Node);
        if (isMap(node) || isSeq(node)) for (const item of node.items as YamlNode[]) visit(item);
    };
    visit(root);
    return targets;
}

/** sigs.k8s.io/yaml's convertToJSONableObject, then what encoding/json accepts. */
function toJsonable(value: GoValue): unknown {
    if (Array.isArray(value)) return value.map(toJsonable);
    if (value instanceof Map) {
        const object: Record<string, unknown> = {};
        const seen = new Set<string>();
        for (const { key, value: child } of value.values()) {
            let name: string;
            try {
                name = goKeyString(key);
            } catch (error) {
                throw new GoYamlError((error as Error).message);
            }
            if (seen.has(name)) throw new GoYamlError(`two keys of one mapping are both ${JSON.stringify(name)} in JSON (kubectl would keep either at random)`);
            seen.add(name);
            const converted = toJsonable(child);
            if (name === "__proto__") Object.defineProperty(object, name, { value: converted, enumerable: true, writable: true, configurable: true });
            else object[name] = converted;
        }
        return object;
    }
    switch (value.type) {
        case "int":
        case "uint":
            return Number(value.value);
        case "float":
            if (!Number.isFinite(value.value)) throw new GoYamlError(`json: unsupported value: ${Number.isNaN(value.value) ? "NaN" : value.value > 0 ? "+Inf" : "-Inf"}`);
            return value.value;
        default:
            return value.value;
    }
}

/** The value kubectl makes of one YAML document (null for an empty one); throws GoYamlError or a YamlSyntaxProblem. */
export function exactDecode(text: string): unknown {
    const parsed = yaml().parseAllDocuments(text, {
        schema: "failsafe", // every scalar a string, with its style and tag kept: resolved here, as go-yaml does
        resolveKnownTags: false,
        uniqueKeys: false,
        merge: false,
        prettyErrors: true, // for linePos
        strict: false,
    });
    const documents = Array.isArray(parsed) ? parsed : [];
    const document = documents[0];
    if (!document) return null;
    const error = document.errors[0];
    if (error) {
        const where = error.linePos?.[0] ?? { line: 1, col: 1 };
        throw { message: error.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, ""), line: where.line, column: where.col } satisfies YamlSyntaxProblem;
    }
    const root = document.contents as YamlNode;
    if (root === null || root === undefined) return null;
    const decoder = new Decoder(aliasTargets(root));
    return toJsonable(decoder.unmarshal(root)) ?? null;
}
