/**
 * The pss CLI side by side with the upstream Go evaluator (bench/go-evaluator: k8s.io/pod-security-admission
 * v0.37.2 reading files as kubectl does, with sigs.k8s.io/yaml), in one run, on the same files: the Pod Security
 * fixture corpus 10 times over (32,870 Pods, ~15 MB) and 100 times over (~150 MB). Prints figures and ratios;
 * asserts nothing. Run: npx tsx bench/cli.bench.ts   (BENCH_RUNS=n repeats, default 3; BENCH_GO_150=1 also
 * runs Go on the 150 MB file, ~2 minutes).
 *
 * The CLI is run as `npm run pss` runs it (package.json's script, without npm's own start-up).
 */

import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { corpusFile, fixtureFiles } from "./corpus";
import { measure, Measurement, median } from "./measure";

const ROOT = path.join(__dirname, "..");
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const RECOMMENDED = "node --max-semi-space-size=1 --heap-growing-percent=20 pss/cli/kuberay-pss.cjs";

/** package.json's `pss` script as a command line (node resolved to this Node), or the recommended one. */
function pssCommand(): { argv: string[]; note: string } {
    const script: string = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).scripts.pss;
    const line = script.includes("kuberay-pss.cjs") ? script : RECOMMENDED;
    const [node, ...args] = line.split(/\s+/);
    if (node !== "node") throw new Error(`unexpected pss script: ${script}`);
    return { argv: [process.execPath, ...args.map((a) => (a.endsWith(".cjs") ? path.join(ROOT, a) : a))], note: line === script ? `package.json: ${script}` : `package.json runs "${script}"; measured "${RECOMMENDED}" instead` };
}

function run(what: string, command: string, args: string[], cwd = ROOT): string {
    const result = spawnSync(command, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
    if (result.status !== 0) throw new Error(`${what} failed (exit ${result.status})`);
    return result.stdout.trim();
}

const pss = pssCommand();
run("building the CLI", process.execPath, [path.join(ROOT, "lib", "cli", "launch.cjs"), path.join(ROOT, "pss", "cli", "kuberay-pss.cjs")]);
const go = run("building the Go evaluator", "bash", [path.join(ROOT, "bench", "go-evaluator", "build.sh")]);
const ts = (args: string[], out?: string) => measure(pss.argv[0], [...pss.argv.slice(1), ...args], out);
const upstream = (args: string[], out?: string) => measure(go, ["evaluate", ...args], out);

const small = corpusFile(10);
const large = corpusFile(100);
const onePod = fixtureFiles()[0].file;
const mb = (bytes: number) => (bytes / 1e6).toFixed(1);
const s = (m: number) => `${m.toFixed(2)} s`;
const ms = (m: number) => `${Math.round(m * 1000)} ms`;
const mib = (m: number) => `${Math.round(m)} MiB`;
console.log(`pss:  ${pss.note}`);
console.log(`Go:   ${go} (k8s.io/pod-security-admission v0.37.2, sigs.k8s.io/yaml v1.6.0)`);
console.log(`node: ${process.version}; ${os.cpus().length} CPUs; load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}`);
console.log(`input: ${small.pods} Pods, ${mb(small.bytes)} MB; ${large.pods} Pods, ${mb(large.bytes)} MB\n`);

// Start-up: one Pod, many runs, alternating.
const startup = { node: [] as Measurement[], pss: [] as Measurement[], go: [] as Measurement[] };
for (let i = 0; i < 10; i++) {
    startup.node.push(measure(process.execPath, ["-e", "0"]));
    startup.pss.push(ts(["--json", onePod]));
    startup.go.push(upstream([onePod]));
}
const [nodeStart, pssStart, goStart] = [startup.node, startup.pss, startup.go].map((runs) => median(runs.map((m) => m.seconds)));
const [nodeCpu, pssCpu, goCpu] = [startup.node, startup.pss, startup.go].map((runs) => median(runs.map((m) => m.cpuSeconds)));

// Throughput and memory on ~15 MB, alternating; verdicts compared once.
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "pss-bench-"));
const runs = { pss: [] as Measurement[], go: [] as Measurement[] };
for (let i = 0; i < RUNS; i++) {
    runs.pss.push(ts(["--json", small.file], i === 0 ? path.join(tmp, "pss.json") : undefined));
    runs.go.push(upstream([small.file], i === 0 ? path.join(tmp, "go.json") : undefined));
}
const pssSeconds = median(runs.pss.map((m) => m.seconds));
const goSeconds = median(runs.go.map((m) => m.seconds));
const verdicts = (file: string) => (JSON.parse(fs.readFileSync(file, "utf8")) as { allowed: boolean }[]).map((r) => r.allowed);
const [pssVerdicts, goVerdicts] = [verdicts(path.join(tmp, "pss.json")), verdicts(path.join(tmp, "go.json"))];
const differing = pssVerdicts.filter((allowed, i) => allowed !== goVerdicts[i]).length;

// Memory on ~150 MB.
const largePss = ts(["--json", large.file]);
const largeTable = ts([large.file]);
const largeGo = process.env.BENCH_GO_150 ? upstream([large.file]) : undefined;
fs.rmSync(tmp, { recursive: true, force: true });

const rows: [string, string, string, string][] = [
    ["", "pss (Node)", "Go evaluator", "pss vs Go"],
    [`throughput, ${small.pods} Pods (median of ${RUNS})`, `${s(pssSeconds)}, ${Math.round(small.pods / pssSeconds)} Pods/s`, `${s(goSeconds)}, ${Math.round(small.pods / goSeconds)} Pods/s`, `${(goSeconds / pssSeconds).toFixed(2)}x Go's throughput`],
    [`peak RSS, ${mb(small.bytes)} MB`, mib(median(runs.pss.map((m) => m.maxRssMiB))), mib(median(runs.go.map((m) => m.maxRssMiB))), `${(median(runs.pss.map((m) => m.maxRssMiB)) / median(runs.go.map((m) => m.maxRssMiB))).toFixed(1)}x`],
    [`peak RSS, ${mb(large.bytes)} MB (--json; table)`, `${mib(largePss.maxRssMiB)}; ${mib(largeTable.maxRssMiB)}`, largeGo ? mib(largeGo.maxRssMiB) : "(BENCH_GO_150=1)", largeGo ? `${(largePss.maxRssMiB / largeGo.maxRssMiB).toFixed(1)}x` : ""],
    [`time, ${mb(large.bytes)} MB (--json; table)`, `${s(largePss.seconds)}; ${s(largeTable.seconds)}`, largeGo ? s(largeGo.seconds) : "", largeGo ? `${(largeGo.seconds / largePss.seconds).toFixed(2)}x Go's throughput` : ""],
    ["start-up, one Pod (median of 10)", ms(pssStart), ms(goStart), `${(pssStart / goStart).toFixed(1)}x Go's; ${(pssStart / nodeStart).toFixed(2)}x node -e 0 (${ms(nodeStart)}), +${ms(pssStart - nodeStart)}`],
    ["start-up CPU time (user + system)", ms(pssCpu), ms(goCpu), `${(pssCpu / Math.max(nodeCpu, 0.001)).toFixed(2)}x node -e 0 (${ms(nodeCpu)}), +${ms(pssCpu - nodeCpu)}`],
    ["verdicts on the 15 MB file", `${pssVerdicts.filter(Boolean).length} allowed`, `${goVerdicts.filter(Boolean).length} allowed`, `${differing} differ (the Go evaluator alone skips the API server's defaulting)`],
];
const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
for (const row of rows) console.log(row.map((cell, c) => cell.padEnd(widths[c])).join("  ").trimEnd());
