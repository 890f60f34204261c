/**
 * The checker reads a manifest file as kubectl does, and so judges what the API server would be sent:
 *
 * 1. kubectl's own reader (k8s.io/cli-runtime's resource builder, sigs.k8s.io/yaml, go-yaml v2: `krps-go decode`
 *    from bench/go-evaluator) against the checker's decoder, on every case of kubectlDecodingCases.ts and on a
 *    few hundred seeded random documents full of YAML 1.1 scalars, odd keys, anchors, aliases and merge keys;
 * 2. the security-relevant rules end to end: the same YAML bytes read by kubectl's reader, each object created
 *    with a server-side dry run in a namespace enforcing restricted:latest, and the API server's answer compared
 *    with the checker's verdict for those bytes (pss --json).
 */

import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { podSecurityLabels } from "../../components/namespace/labels";
import { runCli } from "../../pss/cli/main";
import { bytesOf } from "../../pss/cli/input";
import { DecodeError, manifestObjects } from "../../pss/decode";
import { DECODING_CASES } from "../support/kubectlDecodingCases";
import { RawApi } from "../support/harness/rawApi";
import { clients, createNamespace } from "../support/harness/cluster";
import { mulberry32 } from "../support/harness/randomPods";

const ROOT = path.resolve(__dirname, "..", "..");
const NAMESPACE = "yaml-decoding";
const work = fs.mkdtempSync(path.join(os.tmpdir(), "pss-yaml-e2e-"));
let krpsGo = "";
let raw: RawApi;

beforeAll(async () => {
    const build = spawnSync("bash", [path.join(ROOT, "bench", "go-evaluator", "build.sh")], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
    if (build.status !== 0) throw new Error("building krps-go (bench/go-evaluator/build.sh) failed");
    krpsGo = build.stdout.trim();
    raw = RawApi.fromKubeconfig(inject("controlPlane").kubeconfigPath);
    await createNamespace(clients().core, NAMESPACE, podSecurityLabels("restricted", "latest"));
}, 900_000);

afterAll(() => {
    raw?.close();
    fs.rmSync(work, { recursive: true, force: true });
});

type Json = Record<string, unknown>;

/** What `kubectl apply -f` would send for these bytes: its objects, or its error. */
function kubectl(input: string | Buffer, name = "input.yaml"): { objects: Json[]; error?: string } {
    const file = path.join(work, name);
    fs.writeFileSync(file, input);
    const result = spawnSync(krpsGo, ["decode", file], { encoding: "utf8" });
    const lines = result.stdout.split("\n").filter(Boolean).map((line) => JSON.parse(line) as { object?: Json; error?: string });
    return { objects: lines.filter((l) => l.object).map((l) => l.object!), error: lines.find((l) => l.error)?.error };
}

/** What the checker reads from them. */
function checker(input: string | Buffer): { objects: Json[]; error?: string } {
    const objects: Json[] = [];
    try {
        for (const o of manifestObjects(bytesOf(input))) objects.push(o.object);
        return { objects };
    } catch (error) {
        if (error instanceof DecodeError) return { objects, error: error.where() };
        throw error;
    }
}

/** JSON-equal (kubectl's numbers come back from Go's JSON). */
const same = (a: unknown, b: unknown) => JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
function sortKeys(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(sortKeys);
    if (value && typeof value === "object") return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Json)[k])]));
    return value;
}

describe("kubectl's reader and the checker's decoder agree", () => {
    it("on every case of the decoding table", () => {
        const mismatches: string[] = [];
        for (const c of DECODING_CASES) {
            const theirs = kubectl(c.input);
            if (c.error && !c.kubectl) {
                if (!theirs.error) mismatches.push(`${c.name}: kubectl accepts it: ${JSON.stringify(theirs.objects)}`);
            } else if (theirs.error || !(same(theirs.objects, c.kubectl?.objects ?? c.objects) || (c.kubectl?.orElse !== undefined && same(theirs.objects, c.kubectl.orElse)))) {
                mismatches.push(`${c.name}: kubectl ${theirs.error ?? JSON.stringify(theirs.objects)}`);
            }
        }
        expect(mismatches).toEqual([]);
    });

    it("on seeded random documents of YAML 1.1 scalars, odd keys, anchors, aliases and merge keys", () => {
        const random = mulberry32(Number(process.env.PSS_YAML_SEED ?? 20261203));
        const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
        // No lone "-": go-yaml reads `[-, a]` as the string "-", the checker's parsers refuse it (exit 2, not a pass).
        const ATOMS = ["0", "1", "7", "8", "_", ".", "e", "+", "x", "o", "b", "f", "inf", "nan", "Inf", "y", "n", "yes", "No", "on", "OFF", "true", "null", "~", "2001", "-12", "t", "12", "0x", "0o", "0b", "1e9", "9223372036854775808", "9007199254740993"];
        const scalar = () => {
            let s = "";
            for (let n = 1 + Math.floor(random() * 3); n > 0; n--) s += pick(ATOMS);
            return random() < 0.1 ? `"${s}"` : random() < 0.05 ? `!!str ${s}` : s;
        };
        const mismatches: string[] = [];
        let compared = 0;
        for (let doc = 0; doc < 300; doc++) {
            const lines = ["apiVersion: v1", "kind: Pod", "metadata: {name: p}", "base: &base", ...Array.from({ length: 3 }, (_, i) => `  b${i}: ${scalar()}`)];
            lines.push("spec:");
            for (let i = 0; i < 12; i++) {
                const r = random();
                if (r < 0.1) lines.push("  <<: *base");
                else if (r < 0.15) lines.push(`  <<: [{m${i}: ${scalar()}}, *base]`);
                else if (r < 0.25) lines.push(`  k${i % 4}: *base`);
                else if (r < 0.4) lines.push(`  ${scalar()}: k${i}`);
                else lines.push(`  k${i % 6}: ${random() < 0.3 ? `[${scalar()}, ${scalar()}]` : scalar()}`);
            }
            const input = `${lines.join("\n")}\n`;
            const [theirs, ours] = [kubectl(input, `random-${doc}.yaml`), checker(input)];
            if (ours.error?.includes("two keys of one mapping are both")) continue; // kubectl keeps either, at random
            compared++;
            if (Boolean(theirs.error) !== Boolean(ours.error) || (!theirs.error && !same(theirs.objects, ours.objects))) {
                mismatches.push(`${input}\n  kubectl: ${theirs.error ?? JSON.stringify(theirs.objects)}\n  checker: ${ours.error ?? JSON.stringify(ours.objects)}`);
            }
        }
        expect(mismatches.slice(0, 5)).toEqual([]);
        expect(compared).toBeGreaterThan(250);
    });
});

const HARDENED = `apiVersion: v1
kind: Pod
metadata: {name: NAME}
spec:
  securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
  containers:
  - name: c
    image: registry.example/app:1
    securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
`;
const hardened = (name: string) => HARDENED.replace("NAME", name);
const asItem = (manifest: string) => manifest.trimEnd().split("\n").map((line, i) => `${i === 0 ? "- " : "  "}${line}`).join("\n");

/** Manifests whose reading decides the verdict: YAML features kubectl resolves, in Pods the API server checks. */
const SERVER_CASES: { name: string; input: string; refused: number }[] = [
    { name: "the hardened Pod", input: hardened("plain"), refused: 0 },
    { name: "a merge key carrying privileged: true", input: `x-privileged: &p {privileged: true}\n${hardened("merge-privileged").replace("allowPrivilegeEscalation: false,", "<<: *p,")}`, refused: 1 },
    { name: "a merge that overwrites the key before it", input: hardened("merge-overwrite").replace("capabilities: {drop: [ALL]}}", "capabilities: {drop: [ALL]}, <<: {allowPrivilegeEscalation: true}}"), refused: 1 },
    { name: "a merge after which the key wins", input: hardened("merge-then-key").replace("allowPrivilegeEscalation: false,", "<<: {allowPrivilegeEscalation: true}, allowPrivilegeEscalation: false,"), refused: 0 },
    { name: "a merged sequence: the earlier map wins", input: hardened("merge-sequence").replace("allowPrivilegeEscalation: false,", "<<: [{allowPrivilegeEscalation: false}, {allowPrivilegeEscalation: true}],"), refused: 0 },
    { name: "privileged: yes", input: hardened("bool-yes").replace("allowPrivilegeEscalation: false,", "privileged: yes,"), refused: 1 },
    { name: "hostNetwork: on, hostPID: Y", input: hardened("bool-on").replace("spec:\n", "spec:\n  hostNetwork: on\n  hostPID: Y\n"), refused: 1 },
    { name: "allowPrivilegeEscalation: NO", input: hardened("bool-no").replace("allowPrivilegeEscalation: false", "allowPrivilegeEscalation: NO"), refused: 0 },
    { name: "runAsUser: 0x0", input: hardened("hex-root").replace("runAsNonRoot: true,", "runAsNonRoot: true, runAsUser: 0x0,"), refused: 1 },
    { name: "runAsUser: 0o1750 (1000)", input: hardened("octal-user").replace("runAsNonRoot: true,", "runAsNonRoot: true, runAsUser: 0o1750,"), refused: 0 },
    { name: "a duplicate key: the last one counts", input: hardened("duplicate").replace("spec:\n", "spec:\n  hostIPC: false\n  hostIPC: true\n"), refused: 1 },
    { name: "an alias copying a bad securityContext", input: `bad: &bad {privileged: true}\n${hardened("alias").replace("securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}", "securityContext: *bad")}`, refused: 1 },
    { name: "a List of a good and a bad Pod", input: `apiVersion: v1\nkind: List\nitems:\n${asItem(hardened("list-good"))}\n${asItem(hardened("list-bad").replace("spec:\n", "spec:\n  hostPID: true\n"))}\n`, refused: 1 },
    { name: "a PodList's bare items", input: `apiVersion: v1\nkind: PodList\nitems:\n${asItem(hardened("bare").replace("apiVersion: v1\nkind: Pod\n", "").replace("spec:\n", "spec:\n  hostNetwork: true\n"))}\n`, refused: 1 },
    {
        name: "a JSON stream, duplicate keys keeping the last",
        input: [
            JSON.stringify({ apiVersion: "v1", kind: "Pod", metadata: { name: "json-good" }, spec: { securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } }, containers: [{ name: "c", image: "i", securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } } }] } }),
            JSON.stringify({ apiVersion: "v1", kind: "Pod", metadata: { name: "json-bad" }, spec: { containers: [{ name: "c", image: "i" }] } }).replace('"spec":{', '"spec":{"hostPID":true,"hostPID":false,"hostIPC":false,"hostIPC":true,'),
        ].join("\n"),
        refused: 1,
    },
    { name: "JSON, then YAML", input: `${JSON.stringify({ apiVersion: "v1", kind: "Pod", metadata: { name: "json-then" }, spec: { containers: [{ name: "c", image: "i" }] } })}\n---\n${hardened("then-yaml")}`, refused: 1 },
];

describe("the checker's verdict on YAML bytes = the API server's on what kubectl sends", () => {
    for (const c of SERVER_CASES) {
        it(c.name, async () => {
            const theirs = kubectl(c.input);
            expect(theirs.error).toBeUndefined();
            expect(theirs.objects.length).toBeGreaterThan(0);
            const ours = checker(c.input);
            expect(ours.error).toBeUndefined();
            expect(same(ours.objects, theirs.objects)).toBe(true);

            let stdout = "";
            runCli(["--json", "--level", "restricted", "--version", "latest", "-"], { stdout: (t) => (stdout += t), stderr: () => undefined, stdin: () => bytesOf(c.input) });
            const verdicts = JSON.parse(stdout) as { name: string; allowed: boolean; message: string }[];
            const server = [];
            for (const object of theirs.objects) {
                const response = await raw.request("POST", `/api/v1/namespaces/${NAMESPACE}/pods?dryRun=All`, object);
                const message = String(response.body?.message ?? "");
                const refusal = response.status === 403 ? /^pods "[^"]*" is forbidden: (.*)$/s.exec(message) : null;
                if (response.status !== 201 && !refusal) throw new Error(`${c.name}: the API server did not evaluate ${JSON.stringify(object)}: ${response.status} ${message}`);
                server.push({ name: String((object.metadata as Json).name), allowed: response.status === 201, message: refusal ? refusal[1] : "" });
            }
            expect(verdicts.map(({ name, allowed, message }) => ({ name, allowed, message }))).toEqual(server);
            expect(server.filter((s) => !s.allowed)).toHaveLength(c.refused);
        });
    }
});
