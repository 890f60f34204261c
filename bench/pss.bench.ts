/**
 * Throughput of checkPod over the whole Pod Security fixture corpus, in process: the corpus is parsed once,
 * then every Pod is checked at its own level and version, round after round, for a few seconds per figure.
 * Run: npx tsx bench/pss.bench.ts   (prints pods/second; asserts nothing. BENCH_SECONDS=n to change the time.)
 */

import * as fs from "fs";
import { parse } from "yaml";
import { checkPod, type Level, type PodLike } from "../pss";
import { fixtureFiles } from "./corpus";

interface Sample {
    level: Level;
    version: string;
    pod: PodLike;
}

const SECONDS_PER_FIGURE = Number(process.env.BENCH_SECONDS ?? 3);

function loadCorpus(): Sample[] {
    return fixtureFiles().map(({ level, version, file }) => ({ level, version, pod: parse(fs.readFileSync(file, "utf8")) as PodLike }));
}

/** Checks every sample, round after round, until the time is up; returns pods per second. */
function measure(samples: readonly Sample[], seconds: number): { podsPerSecond: number; refused: number } {
    let checked = 0;
    let refused = 0;
    const start = process.hrtime.bigint();
    const deadline = start + BigInt(Math.round(seconds * 1e9));
    while (process.hrtime.bigint() < deadline) {
        for (const { level, version, pod } of samples) {
            if (!checkPod(level, version, pod).allowed) refused++; // consume the result
        }
        checked += samples.length;
    }
    const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
    return { podsPerSecond: checked / elapsed, refused };
}

const corpus = loadCorpus();
if (corpus.length === 0) throw new Error("no fixtures under test/data/pss-fixtures");
console.log(`corpus: ${corpus.length} Pods from test/data/pss-fixtures, each checked at its own level and version`);

measure(corpus, 1); // warm-up: let the JIT settle before timing

const format = (n: number) => Math.round(n).toLocaleString("en-US");
const all = measure(corpus, SECONDS_PER_FIGURE);
console.log(`all:        ${format(all.podsPerSecond)} pods/s`);
for (const level of ["baseline", "restricted"] as const) {
    const subset = corpus.filter((s) => s.level === level);
    console.log(`${level.padEnd(11)} ${format(measure(subset, SECONDS_PER_FIGURE).podsPerSecond)} pods/s (${subset.length} Pods)`);
}
const latest = corpus.map((s) => ({ ...s, level: "restricted" as const, version: "latest" }));
console.log(`restricted:latest for every Pod: ${format(measure(latest, SECONDS_PER_FIGURE).podsPerSecond)} pods/s`);
