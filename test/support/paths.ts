import * as path from "path";

/** The repository's root: every path the harness builds starts here, wherever its module sits. */
export const PROJECT_DIR = path.resolve(__dirname, "..", "..");

/** A file of the repository, by its path from the root. */
export const projectPath = (...parts: string[]) => path.join(PROJECT_DIR, ...parts);
