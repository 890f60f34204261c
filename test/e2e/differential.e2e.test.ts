/**
 * The checker against the real admission plugin: every Pod Security conformance fixture, for every policy
 * version from v1.0 to the API server's own, and a few thousand random Pods, created with server-side
 * dry-run in namespaces enforcing each level and version. Verdict and message must be equal.
 */

import * as fs from "fs";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { parse } from "yaml";
import { podSecurityLabels } from "../../components/namespace/labels";
import { checkPod, Level, violationMessage } from "../../pss";
import { sharedPath } from "../support/shared";
import { RawApi } from "../support/harness/rawApi";
import { clients, createNamespace } from "../support/harness/cluster";
import { mulberry32, randomPod } from "../support/harness/randomPods";

const { core } = clients();
const raw = RawApi.fromKubeconfig(inject("controlPlane").kubeconfigPath);
const LEVELS: Level[] = ["baseline", "restricted"];
const serverMinor = () => Number(/^v1\.(\d+)\./.exec(inject("controlPlane").version)![1]);
/** Every policy version the fixtures cover, up to the server's own: v1.0 … v1.<server minor>. */
const versions = () => Array.from({ length: serverMinor() + 1 }, (_, minor) => `v1.${serverMinor() - minor}`);
const namespaceFor = (level: Level, version: string) => `psa-${level}-${version.replace(".", "-")}`;
const RANDOM_PODS = 2500;

/** API validation rules, newer than some fixtures, that refuse a Pod before admission sees it. */
const VALIDATION_BEFORE_ADMISSION = [/procMount: Invalid value: "Unmasked": `hostUsers` must be false to use `Unmasked`/];

interface Outcome {
    allowed: boolean;
    message: string;
}

/** What the API server says to creating `pod` (dry run) in `namespace`, or the validation error. */
async function serverVerdict(namespace: string, pod: Record<string, any>): Promise<Outcome | { invalid: string }> {
    // Sent as JSON, exactly as written: client-node's models would drop fields they do not know.
    const response = await raw.request("POST", `/api/v1/namespaces/${namespace}/pods?dryRun=All`, pod);
    if (response.status === 201) return { allowed: true, message: "" };
    const message = String(response.body?.message);
    const match = response.status === 403 ? /^pods "[^"]*" is forbidden: (.*)$/s.exec(message) : null;
    return match ? { allowed: false, message: match[1] } : { invalid: `${response.status}: ${message}` };
}

function checkerVerdict(level: Level, version: string, pod: Record<string, any>): Outcome {
    const result = checkPod(level, version, pod);
    return { allowed: result.allowed, message: result.allowed ? "" : violationMessage(level, version, result.violations) };
}

/** Runs `work` over `items` with `concurrency` requests in flight. */
async function pool<T, R>(items: T[], concurrency: number, work: (item: T) => Promise<R>): Promise<R[]> {
    const results: R[] = new Array(items.length);
    let next = 0;
    await Promise.all(Array.from({ length: concurrency }, async () => {
        while (next < items.length) {
            const index = next++;
            results[index] = await work(items[index]);
        }
    }));
    return results;
}

interface Case {
    label: string;
    level: Level;
    version: string;
    pod: Record<string, any>;
}

async function compare(cases: Case[]) {
    const outcomes = await pool(cases, 16, async (c) => ({ c, server: await serverVerdict(namespaceFor(c.level, c.version), c.pod), checker: checkerVerdict(c.level, c.version, c.pod) }));
    const invalid = outcomes.filter((o) => "invalid" in o.server);
    const compared = outcomes.filter((o) => !("invalid" in o.server));
    const mismatches = compared
        .filter((o) => JSON.stringify(o.server) !== JSON.stringify(o.checker))
        .map((o) => `${o.c.label} at ${o.c.level}:${o.c.version}\n  server:  ${JSON.stringify(o.server)}\n  checker: ${JSON.stringify(o.checker)}`);
    return { invalid, compared, mismatches };
}

afterAll(() => raw.close());

beforeAll(async () => {
    for (const level of LEVELS) {
        for (const version of versions()) {
            await createNamespace(core, namespaceFor(level, version), podSecurityLabels(level, version));
        }
    }
});

describe("checker = the API server's Pod Security admission", () => {
    it("on every conformance fixture, at every policy version up to the server's", async () => {
        const cases: Case[] = [];
        for (const level of LEVELS) {
            for (const version of versions()) {
                for (const expectation of ["pass", "fail"]) {
                    const dir = path.join(sharedPath("pss-fixtures"), level, version, expectation);
                    for (const file of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
                        const pod = parse(fs.readFileSync(path.join(dir, file), "utf8"));
                        // Fixture names may hold '_', which Pod names may not; the name plays no part in the checks.
                        const name = String(pod.metadata?.name ?? file.replace(/\.yaml$/, "")).replace(/_/g, "-");
                        cases.push({ label: `${level}/${version}/${expectation}/${file}`, level, version, pod: { ...pod, metadata: { ...pod.metadata, name, namespace: undefined } } });
                    }
                }
            }
        }
        const { invalid, compared, mismatches } = await compare(cases);
        console.log(`fixtures: ${compared.length} compared, ${invalid.length} rejected by validation before admission`);
        expect(mismatches).toEqual([]);
        // Validation runs before admission and has grown stricter than some old fixtures: those cannot reach
        // Pod Security at all. Only that known rule may keep a fixture from the comparison.
        const unexpected = invalid.filter((o) => !VALIDATION_BEFORE_ADMISSION.some((rule) => rule.test((o.server as { invalid: string }).invalid)));
        expect(unexpected.map((o) => `${o.c.label}: ${(o.server as { invalid: string }).invalid}`)).toEqual([]);
        expect(invalid.length).toBeLessThan(100);
        expect(compared.length).toBeGreaterThan(3000);
        // Both verdicts occur, so the comparison is not trivially one-sided.
        expect(compared.filter((o) => (o.server as Outcome).allowed).length).toBeGreaterThan(500);
        expect(compared.filter((o) => !(o.server as Outcome).allowed).length).toBeGreaterThan(2000);
    });

    it(`on ${RANDOM_PODS} random Pods (seeded) at every level and version`, async () => {
        const seed = Number(process.env.PSS_RANDOM_SEED ?? 20261128);
        const random = mulberry32(seed);
        const cases: Case[] = Array.from({ length: RANDOM_PODS }, (_, index) => ({
            label: `random pod ${index} (seed ${seed})`,
            level: LEVELS[index % 2],
            version: versions()[Math.floor(index / 2) % versions().length],
            pod: randomPod(random, index),
        }));
        const { invalid, compared, mismatches } = await compare(cases);
        console.log(`random pods: ${compared.length} compared, ${invalid.length} rejected by validation; ${compared.filter((o) => (o.server as Outcome).allowed).length} allowed`);
        const reasons = new Map<string, number>();
        for (const o of invalid) {
            const reason = (o.server as { invalid: string }).invalid.replace(/random-\d+/g, "random-N").slice(0, 300);
            reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
        }
        console.log([...reasons].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([r, n]) => `${n}× ${r}`).join("\n"));
        expect(mismatches.slice(0, 20)).toEqual([]);
        // The generator aims at valid Pods; a few may still trip validation, but most must be compared.
        expect(compared.length).toBeGreaterThan(RANDOM_PODS * 0.97);
        expect(compared.filter((o) => (o.server as Outcome).allowed).length).toBeGreaterThan(100);
    });
});
