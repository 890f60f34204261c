/**
 * Child processes of the harness: each logs to its own file, runs in its own process group, and is killed
 * with its group when the harness stops — or when this Node process exits for any reason.
 */

import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";

export interface ManagedProcess {
    name: string;
    logFile: string;
    child: ChildProcess;
    /** Resolves when the process has exited. */
    exited: Promise<number | null>;
}

const running = new Set<ManagedProcess>();

/** Signals a child started in its own process group, and so everything it started, unless it has exited. */
export function killProcessGroup(child: ChildProcess, signal: NodeJS.Signals): void {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
        try {
            process.kill(-child.pid, signal);
        } catch {
            // already gone
        }
    }
}

function killGroup(managed: ManagedProcess, signal: NodeJS.Signals): void {
    killProcessGroup(managed.child, signal);
}

// Last resort: whatever happens to the test process, its children go with it.
process.on("exit", () => {
    for (const managed of running) {
        killGroup(managed, "SIGKILL");
    }
});
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(signal, () => {
        for (const managed of running) {
            killGroup(managed, "SIGKILL");
        }
        process.exit(128 + (signal === "SIGINT" ? 2 : signal === "SIGTERM" ? 15 : 1));
    });
}

export function startProcess(name: string, binary: string, args: string[], logDir: string, env: NodeJS.ProcessEnv = {}): ManagedProcess {
    const logFile = path.join(logDir, `${name}.log`);
    const log = fs.openSync(logFile, "a");
    fs.writeSync(log, `$ ${binary} ${args.join(" ")}\n`);
    const child = spawn(binary, args, { detached: true, stdio: ["ignore", log, log], env: { ...process.env, ...env } });
    fs.closeSync(log);
    const managed: ManagedProcess = {
        name,
        logFile,
        child,
        exited: new Promise((resolve) => child.once("exit", (code) => resolve(code))),
    };
    running.add(managed);
    void managed.exited.then(() => running.delete(managed));
    return managed;
}

/** SIGTERM, then SIGKILL after `graceMs`. */
export async function stopProcess(managed: ManagedProcess, graceMs = 5000): Promise<void> {
    killGroup(managed, "SIGTERM");
    const timer = setTimeout(() => killGroup(managed, "SIGKILL"), graceMs);
    await managed.exited;
    clearTimeout(timer);
}

export function runningProcesses(): string[] {
    return [...running].map((m) => `${m.name} (pid ${m.child.pid})`);
}

/**
 * Polls `probe` until it returns true. Throws with `what` and the tail of the process's log after
 * `timeoutMs`, or at once if the process it waits on has exited.
 */
export async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs: number, process?: ManagedProcess): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
        if (await probe().catch(() => false)) {
            return;
        }
        if (process && (process.child.exitCode !== null || process.child.signalCode !== null)) {
            throw new Error(`${process.name} exited (${process.child.exitCode ?? process.child.signalCode}) while waiting for ${what}${logTail(process)}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${process ? logTail(process) : ""}`);
}

function logTail(process: ManagedProcess): string {
    return fs.existsSync(process.logFile) ? `\n--- ${process.logFile} (tail) ---\n${fs.readFileSync(process.logFile, "utf8").split("\n").slice(-30).join("\n")}` : "";
}
