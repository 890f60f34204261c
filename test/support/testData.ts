import * as fs from "fs";
import * as path from "path";
import { projectPath } from "./paths";

/**
 * Upstream files the unit suite reads, kept in the repository (test/data, each folder with its PROVENANCE.md)
 * so that a clone passes `npm test` without ../shared. The end-to-end, engine and example suites use
 * `sharedPath` (./shared.ts) for what is too large or not test data (vendored sources, the whole chart).
 */
export const TEST_DATA_DIR = projectPath("test", "data");

/** Absolute path of a file or folder under test/data; throws naming it when it is missing. */
export function testDataPath(relative: string): string {
    const full = path.join(TEST_DATA_DIR, relative);
    if (!fs.existsSync(full)) {
        throw new Error(`Test data ${full} is missing: test/data is part of the repository (see test/data/README.md).`);
    }
    return full;
}
