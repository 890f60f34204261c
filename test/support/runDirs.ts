/** Suites keep the folders of their newest runs for the logs; older ones go. */

import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export function pruneOldRuns(prefix: string, keep: number): void {
    const runs = fs
        .readdirSync(os.tmpdir())
        .filter((name) => name.startsWith(prefix))
        .map((name) => path.join(os.tmpdir(), name))
        .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
    for (const old of runs.slice(keep)) fs.rmSync(old, { recursive: true, force: true });
}
