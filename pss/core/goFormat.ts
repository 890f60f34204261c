/**
 * The bits of Go's formatting that upstream messages depend on: %q (strconv.Quote) and the byte-wise
 * string order of sort.Strings / sets.List (UTF-8 order, which differs from JavaScript's UTF-16 order).
 */

// unicode.IsPrint: letters, marks, numbers, punctuation, symbols, and the ASCII space only.
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

/** fmt's %q for a string, i.e. strconv.Quote: a double-quoted Go string literal. */
export function goQuote(s: string): string {
    for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i);
        if (c < 0x20 || c >= 0x7f || c === 0x22 || c === 0x5c) return `"${quoteSlow(s)}"`;
    }
    return `"${s}"`;
}

function quoteSlow(s: string): string {
    let out = "";
    for (const ch of s) {
        let cp = ch.codePointAt(0)!;
        if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd; // a lone surrogate cannot reach Go; Go would hold U+FFFD
        const rune = String.fromCodePoint(cp);
        if (cp === 0x22) out += '\\"';
        else if (cp === 0x5c) out += "\\\\";
        else if (cp >= 0x20 && cp < 0x7f) out += rune;
        else if (cp >= 0x80 && PRINTABLE.test(rune)) out += rune;
        else if (cp === 0x07) out += "\\a";
        else if (cp === 0x08) out += "\\b";
        else if (cp === 0x0c) out += "\\f";
        else if (cp === 0x0a) out += "\\n";
        else if (cp === 0x0d) out += "\\r";
        else if (cp === 0x09) out += "\\t";
        else if (cp === 0x0b) out += "\\v";
        else if (cp < 0x20 || cp === 0x7f) out += "\\x" + hex(cp, 2);
        else if (cp < 0x10000) out += "\\u" + hex(cp, 4);
        else out += "\\U" + hex(cp, 8);
    }
    return out;
}

function hex(n: number, width: number): string {
    return n.toString(16).padStart(width, "0");
}

/** Orders UTF-16 code units the way their code points (hence UTF-8 bytes) order. */
function utf8Rank(unit: number): number {
    if (unit >= 0xe000) return unit - 0x800;
    if (unit >= 0xd800) return unit + 0x2000; // surrogates encode code points above U+FFFF
    return unit;
}

/** Go's string comparison (byte-wise over UTF-8), as used by sort.Strings and sets.List. */
export function compareGoStrings(a: string, b: string): number {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) {
        const x = a.charCodeAt(i);
        const y = b.charCodeAt(i);
        if (x !== y) return x >= 0xd800 && y >= 0xd800 ? utf8Rank(x) - utf8Rank(y) : x - y;
    }
    return a.length - b.length;
}

/** sets.String.List() / sets.List(): the distinct values, sorted. */
export function sortedList(values: Iterable<string>): string[] {
    return Array.from(new Set(values)).sort(compareGoStrings);
}

/** sort.Strings on a copy. */
export function sortedStrings(values: readonly string[]): string[] {
    return values.slice().sort(compareGoStrings);
}
