/**
 * The repository stands alone: `npm ci && npm test` passes on a machine without ../shared. So no file the
 * unit suite loads may read SHARED_DIR: every unit test file, and everything it imports from the project
 * (followed transitively), is checked for the helper that does (test/support/shared.ts) and for
 * `process.env.SHARED_DIR` itself. Reference data
 * the unit tests need is in test/data (test/support/testData.ts).
 */

import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { importClosure, relative } from "./helpers/importGraph";
import { PROJECT_DIR } from "./support/paths";
import { TEST_DATA_DIR } from "./support/testData";

const SHARED_HELPER = path.join(PROJECT_DIR, "test", "support", "shared.ts");
/** The suites with configs of their own, which may use ../shared (see vitest.config.mts). */
const OTHER_SUITES = ["e2e", "engine", "node", "kind", "example"].map((dir) => path.join(PROJECT_DIR, "test", dir) + path.sep);

function unitTestFiles(dir = path.join(PROJECT_DIR, "test")): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) return OTHER_SUITES.includes(full + path.sep) || entry.name === "data" ? [] : unitTestFiles(full);
        return entry.name.endsWith(".test.ts") ? [full] : [];
    });
}

describe("the unit suite stands alone", () => {
    const files = unitTestFiles();

    it("finds the unit test files (this one among them)", () => {
        expect(files).toContain(__filename);
        expect(files.length).toBeGreaterThan(20);
    });

    it.each(files.map(relative))("%s reads nothing from SHARED_DIR (../shared)", (file) => {
        const offending = [...importClosure(path.join(PROJECT_DIR, file))]
            .filter(([source]) => source === SHARED_HELPER || (source !== __filename && /process\.env\.SHARED_DIR/.test(fs.readFileSync(source, "utf8"))))
            .map(([, chain]) => chain.map(relative).join(" → "));
        expect(offending, "use testDataPath() (test/support/testData.ts) and put the file under test/data").toEqual([]);
    });

    it("has its reference data in the repository, each folder with its provenance", () => {
        for (const folder of ["pss-fixtures", "kuberay-v1.3.2", "kuberay-v1.7.0"]) {
            const provenance = fs.readFileSync(path.join(TEST_DATA_DIR, folder, "PROVENANCE.md"), "utf8");
            expect(provenance).toMatch(/\*\*Upstream\*\*: https:\/\/github\.com\//);
            expect(provenance).toMatch(/\*\*Version\*\*: (tag|commit) /);
            expect(provenance).toMatch(/\*\*License\*\*: Apache License 2\.0/);
        }
        expect(fs.readFileSync(path.join(TEST_DATA_DIR, "LICENSE"), "utf8")).toContain("Apache License\n                           Version 2.0");
    });
});
