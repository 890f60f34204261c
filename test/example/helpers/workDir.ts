/** A temp dir for one test file's scripts and data: outside Ray's temp dir, removed after the file. */

import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { venvBin } from "../../support/python/pythonEnv";

export interface WorkDir {
    dir: string;
    /** Writes `text` to `name` in the dir; returns the file's absolute path. */
    write(name: string, text: string): string;
    remove(): void;
}

export function makeWorkDir(): WorkDir {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "krps-example-"));
    return {
        dir,
        write(name, text) {
            const file = path.join(dir, name);
            fs.writeFileSync(file, text);
            return file;
        },
        remove: () => fs.rmSync(dir, { recursive: true, force: true }),
    };
}

/**
 * Writes scikit-learn's bundled breast-cancer data set (no download) as CSV with the label in "target" —
 * the columns of the tutorial's copy — using the venv's Python.
 */
export function writeBreastCancerCsv(venv: string, file: string): number {
    const code = [
        "import sys",
        "from sklearn.datasets import load_breast_cancer",
        "frame = load_breast_cancer(as_frame=True).frame",
        "frame.to_csv(sys.argv[1], index=False)",
        "print(len(frame))",
    ].join("\n");
    const result = spawnSync(venvBin(venv, "python"), ["-c", code, file], { encoding: "utf8" });
    if (result.status !== 0) throw new Error(`writing the breast-cancer CSV failed: ${result.stderr}`);
    return Number(result.stdout.trim());
}
