/**
 * The project's relative imports, read as text (no compiler): which project file each source file loads.
 * Used by the stand-alone test (what the unit suite reaches) and the layering test (which folder uses which).
 */

import * as fs from "fs";
import * as path from "path";
import { PROJECT_DIR } from "../support/paths";


/** `from "./x"`, `import("./x")`, `require("./x")`, `import "./x"`, `vi.mock("./x")`. */
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|\bvi\.mock\s*\(\s*|^\s*import\s+)["'](\.{1,2}\/[^"']+)["']/gm;

const SOURCE = /\.(m?ts|cjs)$/;

/** The project file a relative import names (`./x` → x.ts, x/index.ts), or undefined for data files. */
export function resolveImport(from: string, specifier: string): string | undefined {
    const base = path.resolve(path.dirname(from), specifier);
    return [base, `${base}.ts`, `${base}.mts`, path.join(base, "index.ts")].find((file) => SOURCE.test(file) && fs.existsSync(file) && fs.statSync(file).isFile());
}

/** The project files `file` imports directly. */
export function importsOf(file: string): string[] {
    const targets = new Set<string>();
    for (const match of fs.readFileSync(file, "utf8").matchAll(SPECIFIER)) {
        const target = resolveImport(file, match[1]);
        if (target) targets.add(target);
    }
    return [...targets];
}

/** Every project source file `entry` loads, itself included, with the chain that reaches it. */
export function importClosure(entry: string): Map<string, string[]> {
    const chains = new Map<string, string[]>([[entry, [entry]]]);
    const queue = [entry];
    while (queue.length > 0) {
        const file = queue.shift()!;
        for (const target of importsOf(file)) {
            if (!chains.has(target)) {
                chains.set(target, [...chains.get(file)!, target]);
                queue.push(target);
            }
        }
    }
    return chains;
}

/** Every source file under the project, skipping dependencies and data. */
export function sourceFiles(dir = PROJECT_DIR): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) return ["node_modules", ".git", "data"].includes(entry.name) ? [] : sourceFiles(full);
        return SOURCE.test(entry.name) ? [full] : [];
    });
}

export const relative = (file: string) => path.relative(PROJECT_DIR, file);
