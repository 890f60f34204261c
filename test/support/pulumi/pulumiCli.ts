/**
 * The real `pulumi` CLI, built by `npm run e2e:tools`, run on this project's own Pulumi.yaml and index.ts.
 *
 * Everything it touches is the suite's own: a local file backend and PULUMI_HOME in a temporary folder, plugins
 * found on PATH only (nothing is ever downloaded), Node.js from `test/support/tools/node.sh`. Stack files are written
 * where a user's are, beside Pulumi.yaml, under names that .gitignore keeps out (`Pulumi.engine-*.yaml`), and
 * removed by `dispose`. Every call's wall time is recorded for the README's figures.
 */

import { ChildProcess, execFileSync, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { toolsDir } from "../harness/controlPlane";
import { killProcessGroup } from "../harness/processes";
import { PROJECT_DIR } from "../paths";


export const ENGINE_TOOLS = ["pulumi", "pulumi-language-nodejs", "pulumi-language-yaml", "pulumi-resource-kubernetes", "pulumi-resource-command", "pulumi-resource-pulumi-nodejs"];

export interface CliResult {
    args: string[];
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
    ms: number;
}

export interface RunOptions {
    /** Extra environment for this call (e.g. an empty passphrase). */
    env?: NodeJS.ProcessEnv;
    timeoutMs?: number;
    /** Called with the child once it runs (to interrupt it). */
    onSpawn?: (child: ChildProcess) => void;
    /** Called with each chunk of output as it arrives. */
    onOutput?: (text: string) => void;
}

export interface TimedCall {
    stack: string;
    command: string;
    ms: number;
    code: number | null;
}

export class PulumiCli {
    readonly home: string;
    readonly env: NodeJS.ProcessEnv;
    readonly calls: TimedCall[] = [];
    private readonly stackFiles = new Set<string>();
    private readonly children = new Set<ChildProcess>();

    /** `projectDir`: the Pulumi project the CLI runs in (its Pulumi.yaml and stack files); default this program. */
    constructor(
        readonly passphrase = "engine-suite-passphrase",
        readonly projectDir = PROJECT_DIR,
    ) {
        this.home = fs.mkdtempSync(path.join(os.tmpdir(), "krps-engine-"));
        const bin = toolsDir(ENGINE_TOOLS);
        const nodeBin = execFileSync("bash", [path.join(PROJECT_DIR, "test", "support", "tools", "node.sh"), "--dir"], { encoding: "utf8" }).trim();
        fs.mkdirSync(path.join(this.home, "backend"));
        this.env = {
            ...process.env,
            PATH: [bin, nodeBin, process.env.PATH].join(":"),
            PULUMI_HOME: path.join(this.home, "pulumi-home"),
            PULUMI_BACKEND_URL: `file://${path.join(this.home, "backend")}`,
            // The program keeps rendered CRDs in $XDG_CACHE_HOME: the run's own, not the user's.
            XDG_CACHE_HOME: path.join(this.home, "cache"),
            PULUMI_CONFIG_PASSPHRASE: passphrase,
            PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
            PULUMI_SKIP_UPDATE_CHECK: "true",
            PULUMI_SKIP_CONFIRMATIONS: "true",
            // `npm test` type-checks the program; the CLI only needs to run it (ts-node's check costs each call seconds).
            PULUMI_NODEJS_TRANSPILE_ONLY: "true",
            NO_COLOR: "1",
        };
        // Whatever ends the test process (a failure, a timeout's SIGTERM), its stack files and CLIs go with it.
        live.add(this);
    }

    /** `Pulumi.<stack>.yaml` beside Pulumi.yaml. */
    stackFile(stack: string): string {
        return path.join(this.projectDir, `Pulumi.${stack}.yaml`);
    }

    /** A new stack whose file starts as a copy of one of the shipped stack files (none: an empty one). */
    async initStack(stack: string, shippedFile?: string): Promise<void> {
        const file = this.stackFile(stack);
        this.stackFiles.add(file);
        if (shippedFile) fs.copyFileSync(path.join(PROJECT_DIR, shippedFile), file);
        await this.ok(undefined, ["stack", "init", stack]);
    }

    /** `pulumi config set --path KEY VALUE` (as the README tells users to). */
    async setConfig(stack: string, entries: Record<string, string>): Promise<void> {
        for (const [key, value] of Object.entries(entries)) {
            await this.ok(stack, ["config", "set", "--path", key, value]);
        }
    }

    async run(stack: string | undefined, args: string[], options: RunOptions = {}): Promise<CliResult> {
        const fullArgs = [...args, ...(stack ? ["--stack", stack] : []), "--color", "never", "--non-interactive"];
        const started = Date.now();
        const child = spawn("pulumi", fullArgs, { cwd: this.projectDir, env: { ...this.env, ...options.env }, stdio: ["ignore", "pipe", "pipe"], detached: true });
        this.children.add(child);
        child.once("exit", () => this.children.delete(child));
        options.onSpawn?.(child);
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (chunk: Buffer) => {
            stdout += chunk;
            options.onOutput?.(chunk.toString());
        });
        child.stderr.on("data", (chunk: Buffer) => {
            stderr += chunk;
            options.onOutput?.(chunk.toString());
        });
        const timeoutMs = options.timeoutMs ?? 600_000;
        const timer = setTimeout(() => killTree(child, "SIGKILL"), timeoutMs);
        const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.once("close", (c, s) => resolve([c, s])));
        clearTimeout(timer);
        const result = { args: fullArgs, code, signal, stdout, stderr, ms: Date.now() - started };
        const call = { stack: stack ?? "", command: `pulumi ${args.slice(0, 4).join(" ")}`, ms: result.ms, code };
        this.calls.push(call);
        // Straight to stderr, not through the test runner's console capture: visible while the suite runs.
        process.stderr.write(`engine: ${(call.ms / 1000).toFixed(1).padStart(6)} s  exit ${code ?? signal}  ${call.command}\n`);
        return result;
    }

    /** Runs and throws with the whole output unless the CLI exits 0. */
    async ok(stack: string | undefined, args: string[], options?: RunOptions): Promise<CliResult> {
        const result = await this.run(stack, args, options);
        if (result.code !== 0) throw new Error(describe(result));
        return result;
    }

    /** Stack outputs, secrets in clear. */
    async outputs(stack: string, showSecrets = true): Promise<Record<string, unknown>> {
        const result = await this.ok(stack, ["stack", "output", "--json", ...(showSecrets ? ["--show-secrets"] : [])]);
        return JSON.parse(result.stdout) as Record<string, unknown>;
    }

    /** The resources in the stack's state: type and name of each. */
    async stateResources(stack: string): Promise<Array<{ type: string; urn: string; id?: string; outputs?: Record<string, unknown> }>> {
        const result = await this.ok(stack, ["stack", "export"]);
        const deployment = JSON.parse(result.stdout).deployment as { resources?: Array<{ type: string; urn: string; id?: string; outputs?: Record<string, unknown> }> };
        return deployment.resources ?? [];
    }

    /** Removes the stack files this run wrote and its temporary folder. */
    dispose(): void {
        for (const child of this.children) killTree(child, "SIGKILL");
        for (const file of this.stackFiles) fs.rmSync(file, { force: true });
        fs.rmSync(this.home, { recursive: true, force: true });
        live.delete(this);
    }
}

const live = new Set<PulumiCli>();
// The harness (processes.ts) turns SIGINT/SIGTERM/SIGHUP into an exit, which lands here too.
process.on("exit", () => {
    for (const cli of [...live]) cli.dispose();
});

/** The CLI runs in its own process group: its plugins and the program's Node.js go with it. */
export const killTree = killProcessGroup;

export function describe(result: CliResult): string {
    return `pulumi ${result.args.join(" ")} exited ${result.code ?? result.signal} after ${(result.ms / 1000).toFixed(1)} s\n--- stdout ---\n${result.stdout}\n--- stderr ---\n${result.stderr}`;
}

/** Runs a command the stack printed as a user does, `eval "$(pulumi stack output NAME)"`; its stdout. */
export function runPrintedCommand(command: string, env: NodeJS.ProcessEnv): string {
    const run = spawnSync("bash", ["-c", 'eval "$1"', "_", command], { env, encoding: "utf8", maxBuffer: 256 * 1024 * 1024, timeout: 60_000 });
    if (run.status !== 0) throw new Error(`${command} exited ${run.status}: ${run.stderr}`);
    return run.stdout;
}
