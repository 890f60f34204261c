#!/usr/bin/env node
// Runs the pss CLI as compiled JavaScript. Start-up matters in a pipeline, and compiling TypeScript at run time
// (tsx) costs far more than checking a Pod: the CLI is bundled by esbuild (js-yaml included; the `yaml` package,
// needed only for unusual documents, stays a lazy require) into one file,
// node_modules/.cache/kuberay-pod-security/pss-<key>.js, keyed on the sources' paths, sizes and times. It is
// built when missing: at `npm ci` (`launch.cjs --build`, as prepare), or at the first run after a source
// changed. Type-checking stays with `npm test` (tsc --noEmit).
"use strict";
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..", "..");
/** Everything the CLI may import (esbuild follows the imports from pss/cli/main.ts). */
const SOURCE_DIRS = ["pss", "components"];

function sourceStats(dir, out) {
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
        const rel = `${dir}/${entry.name}`;
        if (entry.isDirectory()) sourceStats(rel, out);
        else if (entry.name.endsWith(".ts")) {
            const stat = fs.statSync(path.join(root, rel));
            out.push(`${rel}:${stat.size}:${stat.mtimeMs}`);
        }
    }
    return out;
}

/** FNV-1a over the source list: enough to tell builds apart, without loading crypto. */
function sourceKey() {
    const text = SOURCE_DIRS.flatMap((dir) => sourceStats(dir, [])).sort().join("\n") + __filename;
    let a = 0x811c9dc5;
    let b = 0x01000193;
    for (let i = 0; i < text.length; i++) {
        a = Math.imul(a ^ text.charCodeAt(i), 0x01000193) >>> 0;
        b = Math.imul(b ^ text.charCodeAt(i), 0x811c9dc5) >>> 0;
    }
    return a.toString(16).padStart(8, "0") + b.toString(16).padStart(8, "0");
}

function build(cacheDir, bundle) {
    let esbuild;
    try {
        esbuild = require(require.resolve("esbuild", { paths: [root] }));
    } catch {
        // `--build` as npm's prepare step must not fail an install without devDependencies.
        process.stderr.write("pss: cannot build the CLI: esbuild is not installed (npm ci)\n");
        process.exit(process.argv[2] === "--build" ? 0 : 2);
    }
    const tmp = `${bundle}.tmp-${process.pid}`;
    try {
        esbuild.buildSync({
            entryPoints: [path.join(root, "pss", "cli", "main.ts")],
            bundle: true,
            platform: "node",
            format: "cjs",
            target: `node${process.versions.node.split(".")[0]}`,
            external: ["yaml"],
            outfile: tmp,
            logLevel: "silent",
        });
    } catch (error) {
        fs.rmSync(tmp, { force: true });
        process.stderr.write(`pss: cannot build the CLI: ${error.message}\n`);
        process.exit(2);
    }
    fs.renameSync(tmp, bundle); // atomic: a concurrent run sees the whole file or none
    for (const name of fs.readdirSync(cacheDir)) {
        if (/^pss-[0-9a-f]+\.js$/.test(name) && path.join(cacheDir, name) !== bundle) fs.rmSync(path.join(cacheDir, name), { force: true });
    }
}

const cacheDir = path.join(root, "node_modules", ".cache", "kuberay-pod-security");
const bundle = path.join(cacheDir, `pss-${sourceKey()}.js`);
if (!fs.existsSync(bundle)) {
    fs.mkdirSync(cacheDir, { recursive: true });
    build(cacheDir, bundle);
}
if (process.argv[2] !== "--build") require(bundle).main();
