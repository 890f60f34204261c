/**
 * Inputs and what `kubectl apply -f` makes of them (k8s.io/cli-runtime v0.37.2 on sigs.k8s.io/yaml v1.6.0 and
 * go.yaml.in/yaml/v2 v2.4.4): the objects it would send, or that it refuses the input. The unit suite checks
 * the checker's decoder against `objects`/`error`; the e2e suite checks kubectl's own reader (krps-go decode,
 * bench/go-evaluator) against the same table, so the expectations here are kubectl's, not ours — except where
 * `kubectl` says how and why the checker is stricter.
 */

export interface DecodingCase {
    name: string;
    input: string | Buffer;
    /** The objects kubectl sends, in order (when it accepts the input). */
    objects?: Record<string, unknown>[];
    /** Their document numbers in the checker's reports. */
    documents?: (number | string)[];
    /** The checker's one-line error (when the input is refused). */
    error?: RegExp;
    /** Where kubectl differs: the checker refuses what kubectl would read another way. */
    kubectl?: { objects: Record<string, unknown>[]; why: string; orElse?: Record<string, unknown>[] };
}

const pod = (extra: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n${extra}`;
const P = { apiVersion: "v1", kind: "Pod", metadata: { name: "p" } };

export const DECODING_CASES: DecodingCase[] = [
    // Scalars: go-yaml v2's YAML 1.1-flavoured resolution.
    {
        name: "YAML 1.1 booleans and nulls",
        input: pod("v: [yes, Yes, YES, y, Y, on, On, ON, true, True, TRUE, no, No, NO, n, N, off, Off, OFF, false, False, FALSE, ~, null, Null, NULL, yEs, tRUE, oN, nO]\n"),
        objects: [{ ...P, v: [true, true, true, true, true, true, true, true, true, true, true, false, false, false, false, false, false, false, false, false, false, false, null, null, null, null, "yEs", "tRUE", "oN", "nO"] }],
    },
    {
        name: "integers as strconv.ParseInt(s, 0, 64) reads them, underscores dropped",
        input: pod("v: [0x10, 0X1f, -0x10, +12, 0o17, 0O17, 017, 0b101, 0B11, 1_000, 0x_1_0, 0, -0, 00, 9223372036854775807]\n"),
        objects: [{ ...P, v: [16, 31, -16, 12, 15, 15, 15, 5, 3, 1000, 16, 0, 0, 0, 9223372036854775807] }],
    },
    {
        name: "floats, and what only looks like a number",
        input: pod("v: [08, 09.5, 1e3, 1E3, .5, +.5, -1.5e-3, 1., 1e999, 0x, 1.2.3, 1:20, 0x1p-2, 1_0.5, .inf2, Infinity, nan]\n"),
        objects: [{ ...P, v: [8, 9.5, 1000, 1000, 0.5, 0.5, -0.0015, 1, "1e999", "0x", "1.2.3", "1:20", "0x1p-2", 10.5, ".inf2", "Infinity", "nan"] }],
    },
    {
        name: "timestamps stay the text written",
        input: pod("v: [2001-12-14, 2001-12-14t21:59:43.10-05:00, 2001-12-14 21:59:43.10, 2001-12-14T21:59:43Z]\n"),
        objects: [{ ...P, v: ["2001-12-14", "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10", "2001-12-14T21:59:43Z"] }],
    },
    {
        name: "quoted and block scalars are strings",
        input: pod("a: 'yes'\nb: \"0x10\"\nc: \"~\"\nd: |\n  on\ne: >-\n  12\n"),
        objects: [{ ...P, a: "yes", b: "0x10", c: "~", d: "on\n", e: "12" }],
    },
    {
        name: "explicit tags",
        input: pod('v: [!!str yes, !!int "12", !!float 1, !!bool "on", !!null "", ! 12, !foo 12, !!binary aGVsbG8=, !!timestamp 2001-01-01]\n'),
        objects: [{ ...P, v: ["yes", 12, 1, true, null, "12", "12", "hello", "2001-01-01"] }],
    },
    { name: "a tag the text does not match", input: pod("v: !!int x\n"), error: /line 4, column \d+: invalid YAML: cannot decode !!str `x` as a !!int/ },
    { name: "NaN has no JSON", input: pod("v: .nan\n"), error: /document 0 \(line 1\): invalid YAML: json: unsupported value: NaN/ },
    { name: "infinity has no JSON", input: pod("v: -.Inf\n"), error: /json: unsupported value: -Inf/ },
    { name: "NaN overwritten by a later key never reaches JSON", input: pod("v: .nan\nv: 1\n"), objects: [{ ...P, v: 1 }] },
    // Keys: sigs.k8s.io/yaml turns them into strings.
    {
        name: "keys that are not strings become strings",
        input: pod("m: {yes: a, 0x10: b, 1.5: c, 1e20: d, 3.14159265358979: e, .inf: f, false: g}\n"),
        objects: [{ ...P, m: { true: "a", "16": "b", "1.5": "c", "1e+20": "d", "3.1415927": "e", ".inf": "f", false: "g" } }],
    },
    { name: "a null key", input: pod("m: {~: a}\n"), error: /unsupported map key of type: <nil>/ },
    { name: "an empty key", input: pod("m:\n  : a\n"), error: /unsupported map key of type: <nil>/ },
    { name: "a uint64 key", input: pod("m: {18446744073709551615: a}\n"), error: /unsupported map key of type: uint64/ },
    { name: "a sequence as a key", input: pod("m:\n  ? [a]\n  : b\n"), error: /invalid map key: a sequence/ },
    {
        name: "two keys that become one string",
        input: pod('m: {1: a, "1": b}\n'),
        error: /two keys of one mapping are both "1"/,
        kubectl: { objects: [{ ...P, m: { "1": "b" } }], orElse: [{ ...P, m: { "1": "a" } }], why: "kubectl keeps either value, in Go's random map order" },
    },
    // Duplicate keys: the last one wins.
    { name: "a duplicate key keeps the last value", input: pod("spec:\n  hostNetwork: false\n  hostNetwork: true\n"), objects: [{ ...P, spec: { hostNetwork: true } }] },
    // Merge keys, as go-yaml v2 merges.
    {
        name: "merge keys: a merge overwrites the keys before it; later keys and earlier merged maps win",
        input: pod("spec:\n  a: 1\n  <<: {a: 2}\n  b: 3\n  <<: [{b: 9, c: 1}, {c: 2, d: 2}]\n  d: 4\n"),
        objects: [{ ...P, spec: { a: 2, b: 9, c: 1, d: 4 } }],
    },
    {
        name: "a merge carrying privileged: true",
        input: pod("x-defaults: &privileged {privileged: true}\nspec:\n  containers:\n  - name: c\n    image: i\n    securityContext:\n      <<: *privileged\n"),
        objects: [{ ...P, "x-defaults": { privileged: true }, spec: { containers: [{ name: "c", image: "i", securityContext: { privileged: true } }] } }],
    },
    {
        name: "merges through aliases of maps that merge",
        input: pod("b: &b {c: 1}\na: &a {<<: *b, d: 2}\nx: {<<: *a}\n"),
        objects: [{ ...P, b: { c: 1 }, a: { c: 1, d: 2 }, x: { c: 1, d: 2 } }],
    },
    {
        name: "a quoted << is a plain key, a !!merge-tagged one merges",
        input: pod('x: {"<<": {a: 1}}\nw: {!!merge "<<": {a: 1}}\nz: {!!str <<: {a: 1}}\n'),
        objects: [{ ...P, x: { "<<": { a: 1 } }, w: { a: 1 }, z: { "<<": { a: 1 } } }],
    },
    { name: "a merge of a scalar", input: pod("x: {<<: 1}\n"), error: /map merge requires map or sequence of maps as the value/ },
    { name: "a merge of an alias to a sequence", input: pod("s: &s [1]\nx: {<<: *s}\n"), error: /map merge requires map or sequence of maps as the value/ },
    // Anchors and aliases.
    {
        name: "aliases are copies",
        input: pod("sc: &sc {runAsNonRoot: true}\nspec:\n  securityContext: *sc\n  containers: [{name: c, image: i, securityContext: *sc}]\n"),
        objects: [{ ...P, sc: { runAsNonRoot: true }, spec: { securityContext: { runAsNonRoot: true }, containers: [{ name: "c", image: "i", securityContext: { runAsNonRoot: true } }] } }],
    },
    { name: "an alias inside its own anchor", input: pod("a: &a [*a]\n"), error: /anchor 'a' value contains itself/ },
    { name: "an unknown alias", input: pod("a: *nowhere\n"), error: /invalid YAML/ },
    {
        name: "an alias bomb",
        input: `a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g,*g]\ni: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h,*h]\nkind: Pod\n`,
        error: /document 0 \(line 1\): invalid YAML: document contains excessive aliasing/,
    },
    {
        name: "a few hundred alias expansions are fine",
        input: `${pod("")}a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: [*b,*b,*b]\n`,
        objects: [{ ...P, a: Array(10).fill("x"), b: Array(10).fill(Array(10).fill("x")), c: Array(3).fill(Array(10).fill(Array(10).fill("x"))) }],
    },
    // Streams.
    {
        name: "documents, empty and comment-only ones skipped, numbered as YAML numbers them",
        input: "# a header\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: a}\n---\n# only a comment\n---\n\n--- # a comment after the separator\napiVersion: v1\nkind: Pod\nmetadata: {name: b}\n...\nkind: Ignored\n",
        objects: [
            { apiVersion: "v1", kind: "Pod", metadata: { name: "a" } },
            { apiVersion: "v1", kind: "Pod", metadata: { name: "b" } },
        ],
        documents: [0, 3],
    },
    { name: "a separator line with more than a comment", input: `${pod("")}--- !!map\n${pod("")}`, error: /line 4, column 4: invalid document separator: !!map/ },
    { name: "CRLF line ends", input: pod("").replace(/\n/g, "\r\n") + "---\r\nkind: ConfigMap\r\n", objects: [P, { kind: "ConfigMap" }] },
    { name: "a UTF-8 byte-order mark", input: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(pod(""))]), objects: [P] },
    { name: "UTF-16 with a byte-order mark (little-endian)", input: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(pod(""), "utf16le")]), objects: [P] },
    { name: "UTF-16 with a byte-order mark (big-endian)", input: Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(pod(""), "utf16le").swap16()]), objects: [P] },
    // JSON.
    {
        name: "a stream of JSON objects, duplicate keys keeping the last",
        input: '{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"hostPID": false, "hostPID": true}}\n  {"kind": "ConfigMap"}{"kind": "Secret"}\n',
        objects: [{ ...P, spec: { hostPID: true } }, { kind: "ConfigMap" }, { kind: "Secret" }],
        documents: [0, 1, 2],
    },
    { name: "one JSON object, then YAML", input: '{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}}\n---\nkind: ConfigMap\n', objects: [P, { kind: "ConfigMap" }] },
    { name: "two JSON objects, then YAML", input: '{"kind": "Pod"}\n{"kind": "ConfigMap"}\n---\nkind: Secret\n', error: /line 3, column 1: invalid JSON/ },
    { name: "a YAML flow mapping that looks like JSON", input: "{apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {hostIPC: yes}}\n", objects: [{ ...P, spec: { hostIPC: true } }] },
    // What kubectl sends for a document.
    {
        name: "a List stands for its items",
        input: `${pod("")}---\napiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: q}\n`,
        objects: [P, { apiVersion: "v1", kind: "ConfigMap" }, { apiVersion: "v1", kind: "Pod", metadata: { name: "q" } }],
        documents: [0, "1/items/0", "1/items/1"],
    },
    {
        name: "a PodList's bare items are Pods",
        input: "apiVersion: v1\nkind: PodList\nitems:\n- metadata: {name: a}\n- null\n",
        objects: [
            { apiVersion: "v1", kind: "Pod", metadata: { name: "a" } },
            { apiVersion: "v1", kind: "Pod" },
        ],
        documents: ["0/items/0", "0/items/1"],
    },
    { name: "any object with items is a list, even items: null", input: `${pod("items: null\n")}---\nkind: ConfigMap\n`, objects: [{ kind: "ConfigMap" }], documents: [1] },
    { name: "items that are not a sequence", input: "apiVersion: v1\nkind: List\nitems: abc\n", error: /document 0 \(line 1\): items is a string, not a sequence/ },
    { name: "a list inside a list", input: "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: List\n  items: [{apiVersion: v1, kind: Pod}]\n", error: /document 0\/items\/0 \(line 1\): a list inside a list/ },
    { name: "a list item with an apiVersion but no kind", input: "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  metadata: {name: a}\n", error: /document 0\/items\/0 \(line 1\): no kind/ },
    { name: "an object without a kind", input: "# a comment\napiVersion: v1\nmetadata: {name: a}\n", error: /document 0 \(line 2\): no kind/ },
    { name: "a kind that is not a string", input: "apiVersion: v1\nkind: 5\n", error: /no kind/ },
    { name: "a document that is a string: not YAML of an object", input: "This is a README, not a manifest.\nIt has two lines.\n", error: /document 0 \(line 1\): not a Kubernetes object but a string/ },
    { name: "a document that is a sequence", input: "- a\n- b\n", error: /not a Kubernetes object but a sequence/ },
    // Bytes that are not text.
    {
        name: "bytes that are not UTF-8",
        input: Buffer.from("kind: Pod\nname: caf\xe9\n", "latin1"),
        error: /line 2, column 10: not UTF-8 text \(byte 0xe9\)/,
        kubectl: { objects: [{ kind: "Pod", name: "caf\ufffd" }], why: "kubectl's UTF-8 decoder turns the byte into U+FFFD" },
    },
    { name: "a control character", input: Buffer.from("kind: Pod\nname: a\u0000b\n"), error: /line 2, column 8: control character U\+0000 is not allowed/ },
    { name: "gzip bytes", input: Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x4b, 0x4c, 0x4a, 0x06, 0x00]), error: /line 1, column 2: not UTF-8 text \(byte 0x8b\)/ },
];
