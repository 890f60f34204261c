/**
 * A local Ray head (the example suite's): `ray start --head` from the venv of test/support/python/env.sh on
 * loopback ports that are free, sized to fit that suite's 4 GiB (two CPUs, a 500 MB object store), with its
 * session files in a temp dir of its own, and stopped with `ray stop --force` however the run ends.
 */

import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { RayJobsClient } from "../../../verify/ray/rayJobsClient";
import { freePort } from "../ports";
import { venvBin, venvEnv } from "../python/pythonEnv";
import { rayProcesses } from "./rayProcesses";

export const HEAD_CPUS = 2;
export const OBJECT_STORE_BYTES = 500_000_000;

export interface RayHead {
    venv: string;
    /** Ray's --temp-dir: session files and logs, kept after the run. */
    tempDir: string;
    dashboardUrl: string;
    rayVersion: string;
    startMs: number;
    /** `ray stop --force`, then checks that nothing of this head is left; throws if something is. */
    stop(): Promise<void>;
}

function run(binary: string, args: string[], env: NodeJS.ProcessEnv, logFile: string, timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
        const log = fs.openSync(logFile, "a");
        fs.writeSync(log, `$ ${binary} ${args.join(" ")}\n`);
        const child = spawn(binary, args, { env, stdio: ["ignore", log, log] });
        fs.closeSync(log);
        const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
        child.once("error", reject);
        child.once("exit", (code, signal) => {
            clearTimeout(timer);
            if (code === 0) return resolve();
            const tail = fs.readFileSync(logFile, "utf8").split("\n").slice(-30).join("\n");
            reject(new Error(`${path.basename(binary)} ${args[0]} exited ${code ?? signal}\n--- ${logFile} (tail) ---\n${tail}`));
        });
    });
}

async function waitForDashboard(client: RayJobsClient, timeoutMs: number): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let last: unknown;
    while (Date.now() < deadline) {
        try {
            return (await client.version()).ray_version;
        } catch (error) {
            last = error;
            await new Promise((resolve) => setTimeout(resolve, 250));
        }
    }
    throw new Error(`the Ray dashboard did not answer GET /api/version within ${timeoutMs} ms: ${(last as Error)?.message}`);
}

export async function startRayHead(venv: string): Promise<RayHead> {
    // Short on purpose: Ray puts Unix sockets under it, and their paths may not exceed 107 bytes.
    const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), "krps-ray-"));
    const logFile = path.join(tempDir, "ray-cli.log");
    const env = venvEnv(venv);
    const ray = venvBin(venv, "ray");

    let stopped = false;
    const stopNow = () => {
        if (stopped) return;
        stopped = true;
        // Synchronous, so that it also runs from an "exit" handler.
        spawnSync(ray, ["stop", "--force"], { env, stdio: "ignore", timeout: 60_000 });
        // `ray stop` finds processes by name; anything of ours it missed (it was starting) goes by temp dir.
        for (const { pid } of rayProcesses(tempDir)) {
            try {
                process.kill(pid, "SIGKILL");
            } catch {
                // already gone
            }
        }
    };
    // Last resort, whatever ends the test run: an uncaught error, Ctrl-C, a CI runner's SIGTERM.
    process.once("exit", stopNow);
    for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
        process.once(signal, () => {
            stopNow();
            // vitest has its own handler and exits; alone, do what the signal would have done.
            if (process.listenerCount(signal) === 0) process.exit(128 + os.constants.signals[signal]);
        });
    }

    const [gcs, dashboard, client, agent] = [await freePort(), await freePort(), await freePort(), await freePort()];
    const started = Date.now();
    try {
        await run(
            ray,
            [
                "start",
                "--head",
                "--node-ip-address=127.0.0.1",
                `--port=${gcs}`,
                "--dashboard-host=127.0.0.1",
                `--dashboard-port=${dashboard}`,
                `--ray-client-server-port=${client}`,
                `--dashboard-agent-listen-port=${agent}`,
                `--num-cpus=${HEAD_CPUS}`,
                `--object-store-memory=${OBJECT_STORE_BYTES}`,
                `--temp-dir=${tempDir}`,
                "--disable-usage-stats",
            ],
            env,
            logFile,
            180_000,
        );
        const dashboardUrl = `http://127.0.0.1:${dashboard}`;
        const rayVersion = await waitForDashboard(new RayJobsClient(dashboardUrl, 5_000), 120_000);
        const startMs = Date.now() - started;
        return {
            venv,
            tempDir,
            dashboardUrl,
            rayVersion,
            startMs,
            async stop() {
                stopNow();
                process.removeListener("exit", stopNow);
                // SIGKILLed processes may take a moment to vanish from /proc.
                let left = rayProcesses(tempDir);
                for (let i = 0; i < 50 && left.length > 0; i++) {
                    await new Promise((resolve) => setTimeout(resolve, 100));
                    left = rayProcesses(tempDir);
                }
                if (left.length > 0) throw new Error(`Ray processes left behind after ray stop: ${left.map((p) => `${p.name} (${p.pid})`).join(", ")}`);
            },
        };
    } catch (error) {
        stopNow();
        throw error;
    }
}
