/**
 * The CLI's gate: what it reads is what kubectl would send (merge keys, YAML 1.1 booleans, aliases, lists, JSON),
 * and input it cannot vouch for — empty, nothing with a Pod, binary, not UTF-8, not YAML, an alias bomb — is
 * exit 2 with one line naming the file, never a pass. (The compiled command: cli.bins.test.ts.)
 */

import { describe, expect, it } from "vitest";
import { DECODING_CASES } from "./support/kubectlDecodingCases";
import { runPss, tempManifest } from "./helpers/pssCli";

const cli = (args: string[], stdin = "") => runPss(args, { stdin });

const tmp = (name: string, content: string | Buffer) => tempManifest(name, content).file;

const HARDENED = `apiVersion: v1
kind: Pod
metadata: {name: hardened}
spec:
  securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
  containers:
  - name: c
    image: i
    securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
`;

/** One line on stderr, nothing on stdout, exit 2. */
function expectRefusedInput(result: { code: number; stdout: string; stderr: string }, pattern: RegExp) {
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(pattern);
    expect(result.stderr.trimEnd().split("\n")).toHaveLength(1);
}

describe("pss reads what kubectl would send", () => {
    it("allows the hardened Pod (the baseline of the cases below)", () => {
        expect(cli(["--json", tmp("ok.yaml", HARDENED)]).code).toBe(0);
    });

    const refusedVariants: [string, string, string][] = [
        ["a merge key carrying privileged: true", `x-privileged: &p {privileged: true}\n${HARDENED.replace("allowPrivilegeEscalation: false,", "<<: *p,")}`, "privileged"],
        ["a merge that overwrites the key before it", HARDENED.replace("capabilities: {drop: [ALL]}}", "capabilities: {drop: [ALL]}, <<: {allowPrivilegeEscalation: true}}"), "allowPrivilegeEscalation"],
        ["privileged: yes", HARDENED.replace("allowPrivilegeEscalation: false,", "privileged: yes,"), "privileged"],
        ["hostNetwork: on", HARDENED.replace("spec:\n", "spec:\n  hostNetwork: on\n"), "hostNamespaces"],
        ["runAsUser: 0x0", HARDENED.replace("runAsNonRoot: true,", "runAsNonRoot: true, runAsUser: 0x0,"), "runAsUser"],
        ["a duplicate key whose last value is bad", HARDENED.replace("spec:\n", "spec:\n  hostPID: false\n  hostPID: true\n"), "hostNamespaces"],
        ["an alias that copies a bad securityContext", `bad: &bad {privileged: true}\n${HARDENED.replace("securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}", "securityContext: *bad")}`, "privileged"],
    ];
    for (const [name, manifest, check] of refusedVariants) {
        it(`refuses ${name}`, () => {
            const { code, stdout } = cli(["--json", tmp("v.yaml", manifest)]);
            expect(code).toBe(1);
            expect(JSON.parse(stdout)[0].violations.map((v: { check: string }) => v.check)).toContain(check);
        });
    }

    it("allows allowPrivilegeEscalation: no (a YAML 1.1 false)", () => {
        expect(cli([tmp("no.yaml", HARDENED.replace("allowPrivilegeEscalation: false", "allowPrivilegeEscalation: no"))]).code).toBe(0);
    });

    it("reports each item of a List with its own document number", () => {
        const item = (manifest: string) => manifest.trimEnd().split("\n").map((line, i) => `${i === 0 ? "- " : "  "}${line}`).join("\n");
        const bad = "apiVersion: v1\nkind: Pod\nmetadata: {name: bad}\nspec: {hostIPC: true, containers: [{name: c, image: i}]}";
        const list = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n---\napiVersion: v1\nkind: List\nitems:\n${item(HARDENED)}\n${item(bad)}\n`;
        const file = tmp("list.yaml", list);
        const json = cli(["--json", file]);
        expect(json.code).toBe(1);
        expect(JSON.parse(json.stdout).map((r: { document: unknown; name: string; allowed: boolean }) => [r.document, r.name, r.allowed])).toEqual([
            ["1/items/0", "hardened", true],
            ["1/items/1", "bad", false],
        ]);
        const table = cli([file]).stdout;
        expect(table).toMatch(/list\.yaml\s+1\/items\/1\s+Pod\/bad\s+-\s+REFUSED/);
        expect(table).toMatch(/list\.yaml\s+0\s+ConfigMap\/c\s+-\s+skipped: ConfigMap does not carry a Pod/);
        expect(table).toContain("list.yaml#1/items/1 Pod/bad: violates PodSecurity");
    });

    it("reads JSON, one object after another", () => {
        const pod = JSON.stringify({ apiVersion: "v1", kind: "Pod", metadata: { name: "j" }, spec: { hostNetwork: true, containers: [{ name: "c", image: "i" }] } });
        const { code, stdout } = cli(["--json", "--level", "baseline", "-"], `${pod}\n${pod.replace('"j"', '"k"')}`);
        expect(code).toBe(1);
        expect(JSON.parse(stdout).map((r: { document: number; name: string }) => [r.document, r.name])).toEqual([
            [0, "j"],
            [1, "k"],
        ]);
    });
});

describe("no input, no pass", () => {
    it("refuses an empty file, empty stdin, and a file of comments", () => {
        const file = tmp("empty.yaml", "");
        expectRefusedInput(cli([file]), new RegExp(`^pss: ${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: nothing to check: no Kubernetes object in it \\(empty, or only comments\\); --allow-empty lets that pass\n$`));
        expectRefusedInput(cli(["--json", "-"], ""), /^pss: -: nothing to check: no Kubernetes object in it/);
        expectRefusedInput(cli([tmp("comments.yaml", "# nothing\n---\n# here\n")]), /nothing to check: no Kubernetes object/);
    });

    it("refuses input whose objects carry no Pod", () => {
        expectRefusedInput(cli([tmp("svc.yaml", "apiVersion: v1\nkind: Service\nmetadata: {name: s}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n")]), /svc\.yaml: nothing to check: none of its 2 object\(s\) carries a Pod \(Service\/s, ConfigMap\/c\); --allow-empty lets that pass\n$/);
    });

    it("lets nothing to check pass with --allow-empty", () => {
        expect(cli(["--json", "--allow-empty", "-"], "")).toEqual({ code: 0, stdout: "[]\n", stderr: "" });
        const svc = cli(["--allow-empty", tmp("svc.yaml", "apiVersion: v1\nkind: Service\nmetadata: {name: s}\n")]);
        expect(svc.code).toBe(0);
        expect(svc.stdout).toContain("0 pod(s): 0 allowed, 0 refused; 1 object(s) skipped");
    });

    it("checks every file on its own", () => {
        const good = tmp("good.yaml", HARDENED);
        const empty = tmp("empty.yaml", "\n");
        expectRefusedInput(cli([good, empty]), /empty\.yaml: nothing to check/);
    });

    it("refuses binary and non-UTF-8 input, naming the line", () => {
        expectRefusedInput(cli([tmp("a.gz", Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00]))]), /a\.gz: line 1, column 2: not UTF-8 text \(byte 0x8b\)/);
        expectRefusedInput(cli([tmp("latin1.yaml", Buffer.from(`${HARDENED}  # café\n`, "latin1"))]), /latin1\.yaml: line 10, column 8: not UTF-8 text \(byte 0xe9\)/);
        expectRefusedInput(cli([tmp("nul.bin", Buffer.from("kind: Pod\n\u0000\u0001\u0002"))]), /nul\.bin: line 2, column 1: control character U\+0000/);
        const random = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256));
        expectRefusedInput(cli([tmp("random.bin", random)]), /random\.bin: line \d+, column \d+: (not UTF-8 text|control character)/);
    });

    it("refuses text that is not YAML of objects", () => {
        expectRefusedInput(cli([tmp("README.md", "# Title\n\nSome prose: with a colon, and more.\n\n- a list\n")]), /README\.md: line \d+, column \d+: invalid YAML|README\.md: document 0 \(line \d+\): not a Kubernetes object/);
        expectRefusedInput(cli([tmp("words.txt", "just some words\n")]), /words\.txt: document 0 \(line 1\): not a Kubernetes object but a string/);
    });

    it("refuses an alias bomb cleanly, naming the file", () => {
        const bomb = DECODING_CASES.find((c) => c.name === "an alias bomb")!.input as string;
        expectRefusedInput(cli([tmp("bomb.yaml", bomb)]), /bomb\.yaml: document 0 \(line 1\): invalid YAML: document contains excessive aliasing\n$/);
    });

    it("prints nothing on stdout when a later document is bad", () => {
        const file = tmp("late.yaml", `${HARDENED}---\nkind: Pod\nmetadata: {name: [x\n`);
        expectRefusedInput(cli(["--json", file]), /late\.yaml: line 13, column 1: invalid YAML/);
        expectRefusedInput(cli([file]), /late\.yaml: line 13, column 1: invalid YAML/);
    });
});
