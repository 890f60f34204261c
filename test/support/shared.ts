import * as fs from "fs";
import * as path from "path";
import { PROJECT_DIR } from "./paths";

/**
 * The read-only reference material (tutorial files, CRDs, Pod Security fixtures) lives outside the project.
 * SHARED_DIR points at it; the default is ../shared next to the project folder.
 */
export const SHARED_DIR = path.resolve(process.env.SHARED_DIR ?? path.join(PROJECT_DIR, "..", "shared"));

/** Absolute path of a file or folder under SHARED_DIR; throws a clear error when it is missing. */
export function sharedPath(relative: string): string {
    const full = path.join(SHARED_DIR, relative);
    if (!fs.existsSync(full)) {
        throw new Error(
            `Reference file ${full} is missing. Set SHARED_DIR to the folder holding the shared reference material ` +
                `(default: ../shared next to the project; now ${SHARED_DIR}).`,
        );
    }
    return full;
}
