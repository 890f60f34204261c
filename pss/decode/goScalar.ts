/**
 * How kubectl's YAML decoder reads a scalar: go-yaml v2's `resolve` (go.yaml.in/yaml/v2 v2.4.4, resolve.go and
 * decode.go's `scalar`, under sigs.k8s.io/yaml v1.6.0, as k8s.io/apimachinery v0.37.2 and kubectl v1.37 use
 * it). YAML 1.1-flavoured, and not YAML 1.2's core schema:
 *
 * - plain `y Y yes Yes YES true True TRUE on On ON` are `true`; `n N no No NO false False FALSE off Off OFF`
 *   are `false`; `~ null Null NULL` and the empty plain scalar are null; other spellings (`yEs`, `tRUE`) are
 *   strings;
 * - integers: underscores are dropped, then Go's `strconv.ParseInt(s, 0, 64)` — a sign, `0x`/`0X` hex,
 *   `0o`/`0O` or a leading `0` octal, `0b`/`0B` binary, decimal; too large for int64 but not for uint64 (no
 *   sign): uint64;
 * - floats: `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?` (so `08` is the float 8), or a `.` then
 *   digits; a value out of float64's range stays a string (`1e999`); `.inf`, `-.Inf`, `.nan`… are ±Inf/NaN;
 * - timestamps (`2001-12-14`, `2001-12-14t21:59:43.10-05:00`) stay the string written, as decode.go keeps
 *   them when decoding into `interface{}`; no base-60 numbers (`1:20` is a string);
 * - quoted and block scalars are strings; so is any scalar with the non-specific tag `!` or a tag that is not
 *   `!!str`, `!!bool`, `!!int`, `!!float`, `!!null`, `!!timestamp`, `!!binary` (a custom `!foo` tag is kept as
 *   the string); an explicit tag must match what the text resolves to (`!!int "12"` is 12, `!!int x` an error;
 *   an integer under `!!float` becomes a float); `!!binary` is base64-decoded.
 */

export const TAG = "tag:yaml.org,2002:";
export const STR = `${TAG}str`;
export const BOOL = `${TAG}bool`;
export const INT = `${TAG}int`;
export const FLOAT = `${TAG}float`;
export const NULL = `${TAG}null`;
export const TIMESTAMP = `${TAG}timestamp`;
export const BINARY = `${TAG}binary`;
export const MERGE = `${TAG}merge`;

/** A scalar as go-yaml v2 decodes it into `interface{}`: Go's types kept, for map keys and JSON encoding. */
export type GoScalar =
    | { type: "string"; value: string }
    | { type: "bool"; value: boolean }
    | { type: "null"; value: null }
    /** Go `int` (int64 on 64-bit) or `uint64`. */
    | { type: "int" | "uint"; value: bigint }
    | { type: "float"; value: number };

const BOOLS: Record<string, boolean> = {};
for (const s of ["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"]) BOOLS[s] = true;
for (const s of ["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"]) BOOLS[s] = false;
const NULLS = new Set(["", "~", "null", "Null", "NULL"]);
const SPECIAL_FLOATS: Record<string, number> = {};
for (const s of [".nan", ".NaN", ".NAN"]) SPECIAL_FLOATS[s] = NaN;
for (const s of [".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"]) SPECIAL_FLOATS[s] = Infinity;
for (const s of ["-.inf", "-.Inf", "-.INF"]) SPECIAL_FLOATS[s] = -Infinity;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;
/** strconv.ParseInt(s, 0, 64) syntax (underscores already removed). */
const GO_INT = /^([+-]?)(?:0[xX]([0-9a-fA-F]+)|0[oO]([0-7]+)|0[bB]([01]+)|0([0-7]*)|([1-9][0-9]*))$/;
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const DOT_FLOAT = /^\.[0-9]+([eE][-+]?[0-9]+)?$/;

/** The first character's class in go-yaml's resolve table: 'S' sign, 'D' digit, 'M' map word, '.' dot. */
function hint(text: string): string | undefined {
    if (text === "") return "N";
    const c = text.charCodeAt(0);
    if (c >= 0x30 && c <= 0x39) return "D";
    if (c === 0x2b || c === 0x2d) return "S";
    if (c === 0x2e) return ".";
    return "yYnNtTfFoO~".includes(text[0]) ? "M" : undefined;
}

function goInt(plain: string): GoScalar | undefined {
    const m = GO_INT.exec(plain);
    if (!m) return undefined;
    const [, sign, hex, oct, bin, leadingZeroOctal, dec] = m;
    const magnitude =
        hex !== undefined ? BigInt(`0x${hex}`)
        : oct !== undefined ? BigInt(`0o${oct}`)
        : bin !== undefined ? BigInt(`0b${bin}`)
        : leadingZeroOctal !== undefined ? (leadingZeroOctal === "" ? 0n : BigInt(`0o${leadingZeroOctal}`))
        : BigInt(dec);
    const value = sign === "-" ? -magnitude : magnitude;
    if (value >= INT64_MIN && value <= INT64_MAX) return { type: "int", value };
    // strconv.ParseUint takes no sign.
    if (sign === "" && value <= UINT64_MAX) return { type: "uint", value };
    return undefined;
}

function goFloat(text: string): GoScalar | undefined {
    const value = Number(text);
    return Number.isFinite(value) ? { type: "float", value } : undefined; // out of range: strconv.ParseFloat fails
}

/** go-yaml v2's resolution of an untagged plain scalar (or one under a resolvable tag). */
export function resolvePlain(text: string): GoScalar {
    const h = hint(text);
    if (h === undefined) return { type: "string", value: text };
    if (text in BOOLS) return { type: "bool", value: BOOLS[text] };
    if (NULLS.has(text)) return { type: "null", value: null };
    if (text in SPECIAL_FLOATS) return { type: "float", value: SPECIAL_FLOATS[text] };
    if (h === ".") {
        return (DOT_FLOAT.test(text) && goFloat(text)) || { type: "string", value: text };
    }
    if (h === "D" || h === "S") {
        // A timestamp would resolve here, but decoding into interface{} keeps its text: a string either way.
        const plain = text.includes("_") ? text.replace(/_/g, "") : text;
        const int = goInt(plain);
        if (int) return int;
        if (YAML_STYLE_FLOAT.test(plain)) {
            const float = goFloat(plain);
            if (float) return float;
        }
    }
    return { type: "string", value: text };
}

const TIMESTAMP_TEXT = /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:[Tt]| )[0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(?:\.[0-9]+)?(?:Z|[+-][0-9]{2}:[0-9]{2})?)?$/;

const RESOLVABLE = new Set([STR, BOOL, INT, FLOAT, NULL, TIMESTAMP]);
const SHORT = (tag: string) => (tag.startsWith(TAG) ? `!!${tag.slice(TAG.length)}` : tag);

export class ScalarError extends Error {}

/**
 * A scalar node: `plain` for an untagged plain scalar, `tag` the resolved tag if one is written (`!` for the
 * non-specific tag). Throws ScalarError with go-yaml's message where go-yaml fails.
 */
export function resolveScalar(text: string, plain: boolean, tag: string | undefined): GoScalar {
    if (tag === undefined || tag === "") {
        return plain ? resolvePlain(text) : { type: "string", value: text };
    }
    if (tag === BINARY) {
        return { type: "string", value: decodeBinary(text) };
    }
    if (!RESOLVABLE.has(tag) || tag === STR) {
        return { type: "string", value: text };
    }
    if (tag === TIMESTAMP) {
        // resolve() tries a timestamp first under this tag; into interface{} the text is kept.
        if (TIMESTAMP_TEXT.test(text)) return { type: "string", value: text };
    }
    const resolved = resolvePlain(text);
    const rtag = resolved.type === "string" ? STR : resolved.type === "bool" ? BOOL : resolved.type === "null" ? NULL : resolved.type === "float" ? FLOAT : INT;
    if (rtag === tag) return resolved;
    if (tag === FLOAT && resolved.type === "int") return { type: "float", value: Number(resolved.value) };
    throw new ScalarError(`cannot decode ${SHORT(rtag)} \`${text}\` as a ${SHORT(tag)}`);
}

/** `!!binary`: Go's base64.StdEncoding (padding required; line breaks ignored), bytes kept as a string. */
function decodeBinary(text: string): string {
    const compact = text.replace(/[\r\n]/g, "");
    if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(compact)) {
        throw new ScalarError("!!binary value contains invalid base64 data");
    }
    return Buffer.from(compact, "base64").toString("utf8");
}

/** sigs.k8s.io/yaml's map key conversion (convertToJSONableObject); null and uint64 keys are errors there. */
export function goKeyString(key: GoScalar): string {
    switch (key.type) {
        case "string":
            return key.value;
        case "bool":
            return key.value ? "true" : "false";
        case "int":
            return key.value.toString();
        case "float":
            return formatFloat32(key.value);
        default:
            throw new ScalarError(`unsupported map key of type: ${key.type === "null" ? "<nil>" : "uint64"}, key: ${key.type === "null" ? "<nil>" : key.value.toString()}`);
    }
}

/** strconv.FormatFloat(f, 'g', -1, 32), with go-yaml's spellings of the infinities and NaN. */
export function formatFloat32(value: number): string {
    if (Number.isNaN(value)) return ".nan";
    const f32 = Math.fround(value);
    if (f32 === Infinity) return ".inf";
    if (f32 === -Infinity) return "-.inf";
    if (f32 === 0) return Object.is(f32, -0) ? "-0" : "0";
    // The shortest digits that read back as the same float32, as Go's shortest formatting finds them.
    let precision = 1;
    while (precision < 9 && Math.fround(Number(f32.toPrecision(precision))) !== f32) precision++;
    const [mantissa, exponentText] = Math.abs(f32).toExponential(precision - 1).split("e");
    const digits = mantissa.replace(".", "");
    const exponent = Number(exponentText);
    const sign = f32 < 0 ? "-" : "";
    if (exponent < -4 || exponent >= 6) {
        // %e with at least two exponent digits (1e+20, 1.5e-07)
        const abs = Math.abs(exponent);
        return `${sign}${mantissa}e${exponent < 0 ? "-" : "+"}${abs < 10 ? "0" : ""}${abs}`;
    }
    const point = exponent + 1;
    if (point <= 0) return `${sign}0.${"0".repeat(-point)}${digits}`;
    if (point >= digits.length) return `${sign}${digits}${"0".repeat(point - digits.length)}`;
    return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}
