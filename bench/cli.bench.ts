/**
 * Times the `pss` CLI on one multi-document file holding the whole Pod Security fixture corpus ten times
 * over, and splits the in-process cost into YAML parsing and checking, to show which one bounds the CLI.
 * Run: npx tsx bench/cli.bench.ts   (prints figures; asserts nothing)
 */

import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseDocuments } from "../pss/cli/documents";
import { evaluateManifest } from "../pss/evaluateManifest";

const fixtures = path.resolve(process.env.SHARED_DIR ?? path.join(__dirname, "..", "..", "shared"), "pss-fixtures");
const files: string[] = [];
for (const level of fs.readdirSync(fixtures)) {
    for (const version of fs.readdirSync(path.join(fixtures, level))) {
        for (const verdict of ["pass", "fail"]) {
            const dir = path.join(fixtures, level, version, verdict);
            for (const file of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
                files.push(path.join(dir, file));
            }
        }
    }
}
const corpus = files.map((file) => fs.readFileSync(file, "utf8").trim()).join("\n---\n");
const text = Array.from({ length: 10 }, () => corpus).join("\n---\n");
const input = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "pss-bench-")), "corpus-x10.yaml");
fs.writeFileSync(input, text);
const pods = files.length * 10;
console.log(`input: ${pods} Pods in one file (${(text.length / 1e6).toFixed(1)} MB)`);

const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

let start = process.hrtime.bigint();
const documents = parseDocuments(input, text);
const parse = seconds(start);
start = process.hrtime.bigint();
for (const document of documents) {
    evaluateManifest(document.object, "restricted", "latest");
}
const check = seconds(start);
console.log(`in process: YAML parse ${parse.toFixed(2)} s (${Math.round(pods / parse)} pods/s), checks ${check.toFixed(3)} s (${Math.round(pods / check)} pods/s): parsing is ${(parse / check).toFixed(0)}x the checks`);

for (let run = 1; run <= 3; run++) {
    start = process.hrtime.bigint();
    const result = spawnSync(process.execPath, [require.resolve("tsx/cli"), path.join(__dirname, "..", "pss", "cli", "main.ts"), "--json", input], { maxBuffer: 1 << 30 });
    const wall = seconds(start);
    console.log(`CLI run ${run}: ${wall.toFixed(2)} s wall, exit ${result.status}, ${Math.round(pods / wall)} pods/s end to end`);
}
start = process.hrtime.bigint();
spawnSync(process.execPath, [require.resolve("tsx/cli"), path.join(__dirname, "..", "pss", "cli", "main.ts"), "--help"]);
console.log(`CLI start-up alone (--help): ${seconds(start).toFixed(2)} s`);
