/**
 * Every command in README.md and docs/ runs as written. Each shell block (```sh, and `$ ` lines of a plain
 * block) is parsed by bash; each command in it is held against what it names: an npm script or bin of this
 * package, a Pulumi subcommand with its real flags, a stack output the program exports, a configuration key
 * the schema declares, a file or folder of the repository, an option the project's CLIs list in `--help`.
 * The checker's commands on files of the repository are run, and must not end in a usage error. Synopses
 * (`[--flag]…`) belong in ```text blocks.
 */

import { execFileSync, spawnSync } from "child_process";
import { parse } from "shell-quote";
import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { CONFIG_KEYS, WORKER_GROUPS_KEY } from "../config/schema";
import { PROJECT_DIR } from "./support/paths";

interface Command {
    /** `file:line`. */
    at: string;
    words: string[];
}

const DOCS = ["README.md", ...fs.readdirSync(path.join(PROJECT_DIR, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];
const PACKAGE = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "package.json"), "utf8"));
const BINS: Record<string, string> = PACKAGE.bin;
const OUTPUTS = new Set([...fs.readFileSync(path.join(PROJECT_DIR, "index.ts"), "utf8").matchAll(/^export const (\w+)/gm)].map((m) => m[1]));
/** The Pulumi CLI's subcommands and flags these pages use (pulumi 3.x). */
const PULUMI: Record<string, string[]> = {
    login: ["--local"],
    up: ["--yes", "--skip-preview", "--stack"],
    preview: ["--policy-pack", "--policy-pack-config", "--stack"],
    destroy: ["--yes", "--stack"],
    refresh: ["--yes", "--stack"],
    "stack init": [],
    "stack rm": ["--yes"],
    "stack output": ["--json", "--show-secrets", "--stack"],
    "config set": ["--path", "--secret", "--stack"],
};
/** Programs outside the project, named only as a user would type them. */
const EXTERNAL = new Set(["helm", "kubectl", "kind", "docker", "export", "echo", "eval"]);

/** The shell blocks of a page: their text and first line. */
function shellBlocks(file: string): { text: string; line: number }[] {
    const lines = fs.readFileSync(path.join(PROJECT_DIR, file), "utf8").split("\n");
    const blocks: { text: string; line: number }[] = [];
    for (let i = 0; i < lines.length; i++) {
        const fence = /^```(\w*)$/.exec(lines[i]);
        if (!fence) continue;
        const end = lines.indexOf("```", i + 1);
        const body = lines.slice(i + 1, end);
        if (["sh", "bash", "shell"].includes(fence[1])) blocks.push({ text: body.join("\n"), line: i + 2 });
        if (fence[1] === "" || fence[1] === "console") {
            body.forEach((text, k) => text.startsWith("$ ") && blocks.push({ text: text.slice(2), line: i + 2 + k }));
        }
        i = end;
    }
    return blocks;
}

/**
 * The simple commands of a block (pipelines, lists, subshells and `$(…)` taken apart), split into words by
 * shell-quote: a parser, so nothing in the pages is ever run (a redirection such as `> file` is only read).
 */
function commandsOf(text: string, file: string, first: number): Command[] {
    return text.split("\n").flatMap((line, k) => {
        const at = `${file}:${first + k}`;
        const inner = [...line.matchAll(/\$\(([^()]*)\)/g)].map((m) => m[1]);
        const outer = line.replace(/"?\$\([^()]*\)"?/g, "SUBSTITUTION");
        return [outer, ...inner].flatMap((part) => simpleCommands(part).map((words) => ({ at, words })));
    });
}

/** A command line's simple commands: words up to each operator; a redirection's target is not a word. */
function simpleCommands(line: string): string[][] {
    const commands: string[][] = [[]];
    let redirect = false;
    for (const token of parse(line, (name) => `$${name}`)) {
        if (typeof token === "string") {
            if (redirect) redirect = false;
            else commands[commands.length - 1].push(token);
        } else if ("op" in token) {
            if (/^[<>]/.test(token.op)) redirect = true;
            else commands.push([]);
        }
    }
    return commands.filter((words) => words.length > 0);
}

const exists = (file: string) => fs.existsSync(path.join(PROJECT_DIR, file));
/** Arguments that name a file of this repository (examples such as deploy/ are the user's own). */
const REPOSITORY_PATH = /^(test|docs|policy|examples|components|pss|verify|bench|lib|model|config|program)\/|^Pulumi\.\w+\.yaml$/;

const helpCache = new Map<string, string>();
function helpOf(bin: string, subcommand: string[]): string {
    const key = [bin, ...subcommand].join(" ");
    if (!helpCache.has(key)) {
        helpCache.set(key, execFileSync(process.execPath, [path.join(PROJECT_DIR, BINS[bin]), ...subcommand, "--help"], { encoding: "utf8", cwd: PROJECT_DIR }));
    }
    return helpCache.get(key)!;
}

/** What is wrong with a command of this project's CLIs, or "". */
function cliProblem(bin: string, args: string[]): string {
    const subcommand = bin === "kuberay-verify" && args[0] === "audit" ? ["audit"] : [];
    const help = helpOf(bin, subcommand);
    const unknown = args.filter((arg) => arg.startsWith("-") && arg !== "-" && !new RegExp(`(^|[\\s,])${arg.split("=")[0]}\\b`, "m").test(help));
    if (unknown.length > 0) return `${bin} has no option ${unknown.join(", ")}`;
    const missing = args.filter((arg) => REPOSITORY_PATH.test(arg) && !exists(arg));
    return missing.length > 0 ? `no such file in the repository: ${missing.join(", ")}` : "";
}

/** What is wrong with a command, or "" when it names only what exists. */
function problemOf(words: string[]): string {
    const [program, ...args] = words;
    if (program === "SUBSTITUTION" || EXTERNAL.has(program)) return "";
    if (program === "npm") {
        if (["ci", "test"].includes(args[0]) && args.length === 1) return "";
        const run = args[0] === "run" ? args.slice(1).filter((arg) => arg !== "-s") : undefined;
        if (!run) return `npm ${args[0]}: not a command these pages should use`;
        if (!(run[0] in PACKAGE.scripts)) return `npm run ${run[0]}: no such script`;
        const rest = run.slice(1);
        if (rest.length > 0 && rest[0] !== "--") return `npm run ${run[0]} ${rest[0]}: npm takes the option; put -- first`;
        const bin = Object.keys(BINS).find((name) => PACKAGE.scripts[run[0]].includes(BINS[name]));
        return bin ? cliProblem(bin, rest.slice(1)) : "";
    }
    if (program === "npx") {
        const rest = args[0] === "--prefix" ? args.slice(2) : args;
        return rest[0] in BINS ? cliProblem(rest[0], rest.slice(1)) : `npx ${rest[0]}: no bin of this package`;
    }
    if (program === "pulumi") {
        const sub = PULUMI[`${args[0]} ${args[1]}`] ? `${args[0]} ${args[1]}` : args[0];
        const flags = PULUMI[sub];
        if (!flags) return `pulumi ${args[0]}: not a subcommand this test knows`;
        const rest = args.slice(sub.split(" ").length);
        const unknown = rest.filter((arg) => arg.startsWith("--") && !flags.includes(arg));
        if (unknown.length > 0) return `pulumi ${sub} has no option ${unknown.join(", ")}`;
        const positional = rest.filter((arg) => !arg.startsWith("--"));
        if (sub === "stack output" && !OUTPUTS.has(positional[0])) return `pulumi stack output ${positional[0]}: the program exports no such output`;
        if (sub === "config set") {
            const key = positional[0].replace(/\[\d+\]\.\w+$/, "");
            if (!(key in CONFIG_KEYS) && key !== WORKER_GROUPS_KEY) return `pulumi config set ${positional[0]}: no such configuration key`;
            if (positional.length !== 2) return `pulumi config set ${positional[0]}: a key and a value`;
        }
        return "";
    }
    if (program === "cd" || program === "bash") return exists(args[0]) ? "" : `${program} ${args[0]}: no such path in the repository`;
    if (program === "cp") return exists(args[0]) ? "" : `cp ${args[0]}: no such file in the repository`;
    return `${program}: a program this test does not know (teach it, or use a text block)`;
}

const blocks = DOCS.flatMap((file) => shellBlocks(file).map((block) => ({ file, ...block })));
const commands = blocks.flatMap(({ text, file, line }) => commandsOf(text, file, line));

describe("commands in README.md and docs/", () => {
    it("finds the pages' commands (the quick start's among them)", () => {
        expect(commands.length).toBeGreaterThan(40);
        expect(commands.map((c) => c.words.join(" "))).toContain("pulumi stack output rayPodsCommand");
    });

    it.each(blocks.map((b) => [`${b.file}:${b.line}`, b.text]))("%s is valid bash", (_at, text) => {
        const check = spawnSync("bash", ["-n"], { input: text, encoding: "utf8" });
        expect(check.stderr).toBe("");
    });

    it("names only scripts, bins, outputs, keys, options and files that exist", () => {
        const problems = commands.map(({ at, words }) => [at, problemOf(words)]).filter(([, problem]) => problem);
        expect(problems).toEqual([]);
    });

    it("reads the pages' commands without running them: a redirection's target is never written", () => {
        expect(simpleCommands(`echo '{"a": 1}' > config.json && npx kuberay-pss -R deploy/   # a note`)).toEqual([
            ["echo", '{"a": 1}'],
            ["npx", "kuberay-pss", "-R", "deploy/"],
        ]);
    });

    it("knows a wrong command when it sees one (the checks themselves)", () => {
        expect(problemOf(["npm", "run", "verify", "--stack", "dev"])).toMatch(/put -- first/);
        expect(problemOf(["pulumi", "stack", "output", "nope"])).toMatch(/no such output/);
        expect(problemOf(["pulumi", "config", "set", "--path", "ray.cpus", "2"])).toMatch(/no such configuration key/);
        expect(problemOf(["npx", "kuberay-pss", "--strict", "x.yaml"])).toMatch(/no option --strict/);
        expect(problemOf(["npx", "kuberay-pss", "test/data/none.yaml"])).toMatch(/no such file/);
        expect(problemOf(["pulumi", "config", "set", "--path", "ray.workerGroups[0].cpu", "2"])).toBe("");
    });

    it("runs the checker's commands on the repository's files: a verdict, never a usage error", () => {
        const runs = commands.filter(({ words }) => words[0] === "npx" && words[1] === "kuberay-pss" && words.slice(2).some((w) => REPOSITORY_PATH.test(w)));
        expect(runs.length).toBeGreaterThan(0);
        for (const { at, words } of runs) {
            const run = spawnSync(process.execPath, [path.join(PROJECT_DIR, BINS["kuberay-pss"]), ...words.slice(2)], { cwd: PROJECT_DIR, encoding: "utf8" });
            expect([0, 1], `${at}: ${run.stderr}`).toContain(run.status);
            expect(run.stdout, at).toMatch(/head/);
        }
    });
});
