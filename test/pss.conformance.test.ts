/**
 * Kubernetes' own Pod Security conformance fixtures (kubernetes/pod-security-admission test/testdata, copied
 * to test/data/pss-fixtures): every Pod under <level>/v1.N/pass must be allowed at that level and version,
 * every Pod under fail/ refused, and refused by the check its file name names.
 */

import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { CHECKS, checkPod, type Level, type PodLike } from "../pss";
import { testDataPath } from "./support/testData";

const FIXTURES = testDataPath("pss-fixtures"); // throws (and fails the suite) when the folder is missing
const FIXTURE_LEVELS: readonly Level[] = ["baseline", "restricted"];

interface FixtureSet {
    level: Level;
    version: string;
    minor: number;
    pass: string[];
    fail: string[];
}

function yamlFiles(dir: string): string[] {
    return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith(".yaml")).sort() : [];
}

function fixtureSets(): FixtureSet[] {
    const sets: FixtureSet[] = [];
    for (const level of FIXTURE_LEVELS) {
        for (const version of fs.readdirSync(path.join(FIXTURES, level))) {
            const match = /^v1\.(\d+)$/.exec(version);
            if (match === null) continue;
            const dir = path.join(FIXTURES, level, version);
            sets.push({
                level,
                version,
                minor: Number(match[1]),
                pass: yamlFiles(path.join(dir, "pass")),
                fail: yamlFiles(path.join(dir, "fail")),
            });
        }
    }
    return sets.sort((a, b) => a.level.localeCompare(b.level) || a.minor - b.minor);
}

const SETS = fixtureSets();

function loadPod(file: string): PodLike {
    return parse(fs.readFileSync(file, "utf8")) as PodLike;
}

/** `capabilities_restricted2.yaml` → "capabilities_restricted", matched case-insensitively to a check ID. */
function checkNamedBy(file: string): string | undefined {
    const stem = path.basename(file, ".yaml").replace(/\d+$/, "").toLowerCase();
    return CHECKS.find((c) => c.id.toLowerCase() === stem)?.id;
}

/**
 * The checks that may refuse a fixture written for `checkId`: the check itself or, at restricted, a
 * restricted check overriding it at that version (e.g. hostPathVolumes → restrictedVolumes).
 */
function acceptableChecks(checkId: string, level: Level, minor: number): string[] {
    const accepted = [checkId];
    if (level !== "restricted") return accepted;
    for (const check of CHECKS) {
        if (check.level !== "restricted") continue;
        const current = check.versions.filter((v) => Number(v.minimumVersion.slice("v1.".length)) <= minor).pop();
        if (current?.overrides.includes(checkId)) accepted.push(check.id);
    }
    return accepted;
}

describe("Pod Security conformance fixtures", () => {
    it("holds thousands of fixtures for both levels and every version v1.0 to v1.37", () => {
        const total = SETS.reduce((n, s) => n + s.pass.length + s.fail.length, 0);
        expect(total).toBeGreaterThanOrEqual(3000);
        for (const level of FIXTURE_LEVELS) {
            const minors = SETS.filter((s) => s.level === level).map((s) => s.minor);
            expect(minors).toEqual(Array.from({ length: 38 }, (_, i) => i));
        }
        for (const set of SETS) {
            expect(set.pass.length, `${set.level}/${set.version}/pass`).toBeGreaterThan(0);
            expect(set.fail.length, `${set.level}/${set.version}/fail`).toBeGreaterThan(0);
        }
    });

    for (const set of SETS) {
        it(`${set.level} ${set.version}: ${set.pass.length} pass and ${set.fail.length} fail fixtures`, () => {
            const dir = path.join(FIXTURES, set.level, set.version);
            const problems: string[] = [];

            for (const file of set.pass) {
                const result = checkPod(set.level, set.version, loadPod(path.join(dir, "pass", file)));
                if (!result.allowed) {
                    const why = result.violations.map((v) => `${v.check}: ${v.reason} (${v.detail})`).join("; ");
                    problems.push(`pass/${file} was refused: ${why}`);
                }
            }

            for (const file of set.fail) {
                const result = checkPod(set.level, set.version, loadPod(path.join(dir, "fail", file)));
                const named = checkNamedBy(file);
                if (result.allowed) {
                    problems.push(`fail/${file} was allowed`);
                } else if (named === undefined) {
                    problems.push(`fail/${file} names no known check`);
                } else {
                    const accepted = acceptableChecks(named, set.level, set.minor);
                    const refusedBy = result.violations.map((v) => v.check);
                    if (!refusedBy.some((id) => accepted.includes(id))) {
                        problems.push(`fail/${file} was refused by ${refusedBy.join(", ")}, not by ${accepted.join(" or ")}`);
                    }
                }
            }

            expect(problems, `${set.level}/${set.version}`).toEqual([]);
        });
    }
});
