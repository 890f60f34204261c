/**
 * The shell scripts the product holds as TypeScript strings, written out for shellcheck (shellcheck.sh runs it):
 *   tsx test/support/tools/embeddedScripts.ts DIR   writes DIR/<module>.<NAME>.sh for each, prints their paths
 * A script is an exported string constant whose name ends in _SCRIPT (`export const CREATE_SCRIPT = \``), found
 * in every product file, so a new one cannot be missed. Each file starts with `#!/bin/sh`, the shell that runs
 * them (`local.Command`'s default interpreter, `/bin/sh -c`; KindCluster's Commands set no other), so shellcheck
 * checks them in that dialect; and the script starts on the line it starts on in its module, so a finding's line
 * is the module's (past a `\n` escape in the template, which is a line break in the script, one line further).
 */

import * as fs from "fs";
import * as path from "path";
import { PROJECT_DIR } from "../paths";

/** The product's folders and files (test/layers.test.ts's PRODUCT). */
const PRODUCT = ["lib", "model", "pss", "config", "components", "verify", "policy", "program", "index.ts"];
const DECLARATION = /^export const (\w+_SCRIPT) = `/gm;
const SHEBANG = "#!/bin/sh";

export interface EmbeddedScript {
    /** Where it is defined, from the repository's root; the constant's name; its first line there (1-based). */
    module: string;
    name: string;
    line: number;
    text: string;
}

function sources(entry: string): string[] {
    const full = path.join(PROJECT_DIR, entry);
    if (!fs.existsSync(full)) return [];
    if (fs.statSync(full).isFile()) return entry.endsWith(".ts") ? [entry] : [];
    return fs
        .readdirSync(full, { withFileTypes: true })
        .filter((dirent) => dirent.name !== "node_modules")
        .flatMap((dirent) => sources(path.join(entry, dirent.name)));
}

export function embeddedScripts(): EmbeddedScript[] {
    return PRODUCT.flatMap(sources)
        .sort()
        .flatMap((module) => {
            const source = fs.readFileSync(path.join(PROJECT_DIR, module), "utf8");
            const declared = [...source.matchAll(DECLARATION)];
            if (declared.length === 0) return [];
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            const exports = require(path.join(PROJECT_DIR, module)) as Record<string, unknown>;
            return declared.map((match) => {
                const [, name] = match;
                const text = exports[name];
                if (typeof text !== "string") throw new Error(`${module} declares ${name}, but does not export it as a string`);
                return { module, name, line: source.slice(0, match.index).split("\n").length, text };
            });
        });
}

/** Writes each script into `dir`; returns the files' paths. */
export function writeEmbeddedScripts(dir: string): string[] {
    return embeddedScripts().map(({ module, name, line, text }) => {
        // A name that says where the script is defined: shellcheck's findings carry it.
        const file = path.join(dir, `${module.replace(/[/.]/g, "_")}.${name}.sh`);
        fs.writeFileSync(file, `${SHEBANG}\n${"\n".repeat(Math.max(line - 2, 0))}${text}`);
        return file;
    });
}

if (require.main === module) {
    const [dir] = process.argv.slice(2);
    if (!dir || !fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
        console.error("usage: embeddedScripts.ts DIR (an existing directory)");
        process.exitCode = 2;
    } else {
        console.log(writeEmbeddedScripts(dir).join("\n"));
    }
}
