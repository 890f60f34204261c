/**
 * The checker reads manifests as kubectl does (pss/decode): every case of kubectlDecodingCases.ts — whose
 * expectations the e2e suite checks against kubectl's own reader — read whole and read one byte at a time,
 * and the fast path always equal to the exact one.
 */

import { describe, expect, it } from "vitest";
import { bytesOf } from "../pss/cli/input";
import { ByteSource, DecodeError, decodeYaml, manifestObjects } from "../pss/decode";
import { fastDecode } from "../pss/decode/fastYaml";
import { formatFloat32, resolvePlain, resolveScalar } from "../pss/decode/goScalar";
import { exactDecode } from "../pss/decode/goYaml";
import { rawDocuments } from "../pss/decode/stream";
import { DECODING_CASES } from "./support/kubectlDecodingCases";

function read(source: ByteSource): { objects: unknown[]; documents: (number | string)[]; error?: string } {
    const objects: unknown[] = [];
    const documents: (number | string)[] = [];
    try {
        for (const o of manifestObjects(source)) {
            objects.push(o.object);
            documents.push(o.document);
        }
        return { objects, documents };
    } catch (error) {
        if (error instanceof DecodeError) return { objects, documents, error: error.where() };
        throw error;
    }
}

/** The same bytes, handed over `size` bytes per read. */
function trickle(input: string | Buffer, size: number): ByteSource {
    const bytes = typeof input === "string" ? Buffer.from(input) : input;
    let offset = 0;
    return {
        read(buffer) {
            const n = Math.min(size, buffer.length, bytes.length - offset);
            buffer.set(bytes.subarray(offset, offset + n));
            offset += n;
            return n;
        },
    };
}

describe("kubectl's reading of manifests", () => {
    for (const c of DECODING_CASES) {
        it(c.name, () => {
            const result = read(bytesOf(typeof c.input === "string" ? c.input : c.input));
            if (c.error) {
                expect(result.error).toMatch(c.error);
                expect(result.error).not.toContain("\n");
            } else {
                expect(result.error).toBeUndefined();
                expect(result.objects).toEqual(c.objects);
                if (c.documents) expect(result.documents).toEqual(c.documents);
            }
            // Streaming changes nothing, however the bytes arrive.
            for (const size of [1, 3, 7]) expect(read(trickle(c.input, size))).toEqual(result);
        });
    }
});

describe("the fast path equals the exact path", () => {
    const yamlDocuments: string[] = [];
    for (const c of DECODING_CASES) {
        if (typeof c.input !== "string" || c.input.trimStart().startsWith("{")) continue;
        try {
            for (const d of rawDocuments([c.input])) yamlDocuments.push(d.text);
        } catch {
            // a stream kubectl cannot split: its documents up to there are enough
        }
    }

    it("on every document of the cases it takes", () => {
        let taken = 0;
        for (const text of yamlDocuments) {
            const fast = fastDecode(text);
            if (!fast) continue;
            taken++;
            expect(fast.value, text).toEqual(exactDecode(text));
        }
        expect(taken).toBeGreaterThan(20);
    });

    it("hands over anchors, tags, merge keys, duplicate keys, odd keys and non-finite numbers", () => {
        for (const text of [
            "a: &x 1\nb: *x\n",
            "a: !!str 1\n",
            "a: {<<: {b: 1}}\n",
            "a: 1\na: 2\n",
            "~: 1\n",
            "1.5: a\n",
            "9007199254740993: a\n",
            "? [a]\n: b\n",
            "a:\n  : b\n",
            "a: .nan\n",
            "a: 1\n...\nb: 2\n",
        ]) {
            expect(fastDecode(text), text).toBeUndefined();
        }
        expect(fastDecode("a: yes\nb: [0x10, 1e3, ~]\n")).toEqual({ value: { a: true, b: [16, 1000, null] } });
    });

    it("keeps its hands off text that only looks like anchors or tags", () => {
        expect(fastDecode("command: [sh, -c, 'a && b!']\nhost: '*.example.com'\n")).toEqual({ value: { command: ["sh", "-c", "a && b!"], host: "*.example.com" } });
    });
});

describe("go-yaml v2's scalars", () => {
    it("resolves plain scalars by their first character, as resolve.go does", () => {
        expect(resolvePlain("yes")).toEqual({ type: "bool", value: true });
        expect(resolvePlain("0x10")).toEqual({ type: "int", value: 16n });
        expect(resolvePlain("18446744073709551615")).toEqual({ type: "uint", value: 18446744073709551615n });
        expect(resolvePlain("-18446744073709551615")).toEqual({ type: "float", value: -18446744073709551615 });
        expect(resolvePlain("0b2")).toEqual({ type: "string", value: "0b2" });
        expect(resolvePlain("_1")).toEqual({ type: "string", value: "_1" });
        expect(resolvePlain(".5e999")).toEqual({ type: "string", value: ".5e999" });
        expect(resolvePlain("")).toEqual({ type: "null", value: null });
    });

    it("checks explicit tags against the text", () => {
        expect(resolveScalar("12", false, "tag:yaml.org,2002:int")).toEqual({ type: "int", value: 12n });
        expect(() => resolveScalar("yes", true, "tag:yaml.org,2002:int")).toThrow("cannot decode !!bool `yes` as a !!int");
        expect(() => resolveScalar("a?b", true, "tag:yaml.org,2002:binary")).toThrow("!!binary value contains invalid base64 data");
        expect(resolveScalar("12", true, "!local")).toEqual({ type: "string", value: "12" });
    });

    it("spells float keys as strconv.FormatFloat(f, 'g', -1, 32)", () => {
        expect([1.5, 1e20, 3.14159265358979, 0.1, 1e6, 123456, 1234567, 0.0001, 0.00001, -2.5e-7, 1, 16777217, NaN, -Infinity].map(formatFloat32)).toEqual([
            "1.5", "1e+20", "3.1415927", "0.1", "1e+06", "123456", "1.234567e+06", "0.0001", "1e-05", "-2.5e-07", "1", "1.6777216e+07", ".nan", "-.inf",
        ]);
    });
});

describe("documents", () => {
    it("point errors at the line of the file, not of the document", () => {
        const input = "kind: ConfigMap\n---\n# the Pod\napiVersion: v1\nkind: Pod\nmetadata:\n  name: [unclosed\n";
        expect(read(bytesOf(input)).error).toMatch(/^line 8, column 1: invalid YAML: /);
    });

    it("stream a large input in pieces, documents crossing piece boundaries", () => {
        const doc = (i: number) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p${i}\n  annotations: {note: "${"x".repeat(i % 997)}"}\n`;
        const input = Array.from({ length: 3000 }, (_, i) => doc(i)).join("---\n");
        expect(input.length).toBeGreaterThan(1 << 20); // more than one piece
        let count = 0;
        for (const o of manifestObjects(trickle(input, 65_521))) {
            expect((o.object as { metadata: { name: string } }).metadata.name).toBe(`p${count}`);
            expect(o.document).toBe(count);
            count++;
        }
        expect(count).toBe(3000);
    });

    it("decode one document on its own", () => {
        expect(decodeYaml({ text: "a: &x on\nb: *x\n", index: 0, line: 1, contentLine: 1 })).toEqual({ a: true, b: true });
        expect(() => decodeYaml({ text: "a: *y\n", index: 4, line: 10, contentLine: 10 })).toThrow(DecodeError);
    });
});
