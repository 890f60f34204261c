// Runs a command line tool as compiled JavaScript. Start-up matters in a pipeline, and compiling TypeScript at
// run time (tsx, a devDependency an installed package does not have) costs far more than checking a Pod: the
// tool is bundled by esbuild into one file, node_modules/.cache/kuberay-pod-security/<name>-<key>.js, and only
// loaded afterwards. Next to it, <name>.inputs.json lists every file esbuild read (its metafile) with its size
// and time: the bundle is rebuilt when one of them changed or went, whichever folder it sits in. Built at
// `npm ci` (prepare: `node lib/cli/launch.cjs BIN…`) or at the first run after a source changed.
// Type-checking stays with `npm test` (tsc --noEmit).
//
// A bin file describes its tool, `{ name, entry, external?, packages? }` (esbuild's options), and calls
// `launch(tool)`; run directly with bin files as arguments, this file only builds them.
"use strict";
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..", "..");
const cacheDir = path.join(root, "node_modules", ".cache", "kuberay-pod-security");
const nodeMajor = process.versions.node.split(".")[0];

function stamp(file) {
    const stat = fs.statSync(path.join(root, file));
    return [file, stat.size, stat.mtimeMs];
}

/** FNV-1a, two ways: enough to tell builds apart, without loading crypto. */
function key(text) {
    let a = 0x811c9dc5;
    let b = 0x01000193;
    for (let i = 0; i < text.length; i++) {
        a = Math.imul(a ^ text.charCodeAt(i), 0x01000193) >>> 0;
        b = Math.imul(b ^ text.charCodeAt(i), 0x811c9dc5) >>> 0;
    }
    return a.toString(16).padStart(8, "0") + b.toString(16).padStart(8, "0");
}

const manifestFile = (tool) => path.join(cacheDir, `${tool.name}.inputs.json`);
const bundleFile = (tool, inputs) => path.join(cacheDir, `${tool.name}-${key(`${nodeMajor}\n${JSON.stringify(inputs)}`)}.js`);

/** The bundle, when every file it was built from is as it was then; undefined otherwise. */
function freshBundle(tool) {
    try {
        const inputs = JSON.parse(fs.readFileSync(manifestFile(tool), "utf8"));
        const now = inputs.map(([file]) => stamp(file));
        if (JSON.stringify(now) !== JSON.stringify(inputs)) return undefined;
        const bundle = bundleFile(tool, inputs);
        return fs.existsSync(bundle) ? bundle : undefined;
    } catch {
        return undefined; // no manifest yet, or an input is gone: build
    }
}

/** Writes `text` to `file` as one step: a concurrent run sees the whole file or none. */
function writeAtomically(file, text) {
    const tmp = `${file}.tmp-${process.pid}`;
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, file);
}

function fail(tool, why, code) {
    process.stderr.write(`${tool.name}: cannot build the command: ${why}\n`);
    process.exit(code);
}

/** Bundles the tool; returns the bundle's path. `prepare` must not fail an install without devDependencies. */
function build(tool, { buildOnly = false } = {}) {
    let esbuild;
    try {
        esbuild = require(require.resolve("esbuild", { paths: [root] }));
    } catch {
        fail(tool, "esbuild is not installed (npm ci)", buildOnly ? 0 : 2);
    }
    let result;
    try {
        result = esbuild.buildSync({
            entryPoints: [tool.entry],
            absWorkingDir: root,
            bundle: true,
            platform: "node",
            format: "cjs",
            target: `node${nodeMajor}`,
            external: tool.external,
            packages: tool.packages,
            write: false,
            metafile: true,
            logLevel: "silent",
        });
    } catch (error) {
        fail(tool, error.message.split("\n").slice(0, 2).join(" "), 2);
    }
    const sources = [...Object.keys(result.metafile.inputs), path.relative(root, __filename), path.relative(root, tool.bin)];
    const inputs = [...new Set(sources)].sort().map(stamp);
    const bundle = bundleFile(tool, inputs);
    try {
        fs.mkdirSync(cacheDir, { recursive: true });
        writeAtomically(bundle, result.outputFiles[0].contents);
        writeAtomically(manifestFile(tool), JSON.stringify(inputs));
    } catch (error) {
        fail(tool, `cannot write ${cacheDir}: ${error.code ?? error.message}`, 2);
    }
    // Older bundles go, but not at once: a process that chose one a moment ago may still be about to load it.
    for (const name of fs.readdirSync(cacheDir)) {
        const other = path.join(cacheDir, name);
        const stale = name.startsWith(`${tool.name}-`) && name.endsWith(".js") && other !== bundle && Date.now() - (fs.statSync(other, { throwIfNoEntry: false })?.mtimeMs ?? 0) > 3_600_000;
        if (stale) fs.rmSync(other, { force: true });
    }
    return bundle;
}

/** Runs the tool's `main()` from its bundle, built first when missing or stale. */
function launch(tool) {
    require(freshBundle(tool) ?? build(tool)).main();
}

module.exports = { launch, build };

if (require.main === module) {
    for (const bin of process.argv.slice(2)) build(require(path.resolve(bin)), { buildOnly: true });
}
