/** The benchmarks' input: Kubernetes' Pod Security conformance fixtures (3,287 Pods), one file, N times over. */

import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { testDataPath } from "../test/support/testData";

/** Every fixture file with its level and version, from test/data/pss-fixtures. */
export function fixtureFiles(): { level: "baseline" | "restricted"; version: string; file: string }[] {
    const root = testDataPath("pss-fixtures");
    const files: { level: "baseline" | "restricted"; version: string; file: string }[] = [];
    for (const level of ["baseline", "restricted"] as const) {
        for (const version of fs.readdirSync(path.join(root, level))) {
            for (const verdict of ["pass", "fail"]) {
                const dir = path.join(root, level, version, verdict);
                for (const file of fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []) files.push({ level, version, file: path.join(dir, file) });
            }
        }
    }
    return files;
}

/** A multi-document file with every fixture `copies` times (written once into the temp folder); its path and Pod count. */
export function corpusFile(copies: number): { file: string; pods: number; bytes: number } {
    const files = fixtureFiles();
    const corpus = `${files.map(({ file }) => fs.readFileSync(file, "utf8").trim()).join("\n---\n")}\n`;
    const file = path.join(os.tmpdir(), `pss-bench-corpus-x${copies}-${corpus.length}.yaml`);
    if (!fs.existsSync(file)) {
        const tmp = `${file}.${process.pid}`;
        const fd = fs.openSync(tmp, "w");
        for (let i = 0; i < copies; i++) fs.writeSync(fd, i === 0 ? corpus : `---\n${corpus}`);
        fs.closeSync(fd);
        fs.renameSync(tmp, file);
    }
    return { file, pods: files.length * copies, bytes: fs.statSync(file).size };
}
