/**
 * Starting and stopping a cluster's daemon (daemon.ts), the detached process that runs the harness control
 * plane for as long as the cluster exists. `stopAllDaemons` is for the test suite's teardown: nothing the
 * stand-in started may outlive the suite, whatever failed.
 */

import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { isRunning, markedProcesses, NODE_MARKER, processStartTime, signal, sleep } from "./liveness";
import { clusterPaths, ClusterPaths, DaemonRecord, listClusters, readJson, writeFileAtomic } from "./state";

const DAEMON_ENTRY = path.join(__dirname, "daemon.ts");
const REGISTER_TSX = path.join(__dirname, "register.mjs");

/** Starts the daemon for a cluster whose cluster.json is written; records its pid. */
export function spawnDaemon(paths: ClusterPaths): DaemonRecord {
    const log = fs.openSync(paths.daemonLog, "a");
    const child = spawn(process.execPath, ["--import", REGISTER_TSX, DAEMON_ENTRY, paths.dir], {
        // Its own session and process group: the command provider's, the CLI's and the test's signals
        // never reach it; only `kind delete cluster` (or the suite's teardown) stops it.
        detached: true,
        stdio: ["ignore", log, log],
        env: { ...process.env, [NODE_MARKER]: paths.dir },
    });
    fs.closeSync(log);
    child.unref();
    const pid = child.pid!;
    const record: DaemonRecord = { pid, startTime: processStartTime(pid) ?? "" };
    writeFileAtomic(paths.daemon, JSON.stringify(record));
    return record;
}

export function daemonRunning(paths: ClusterPaths): boolean {
    const record = readJson<DaemonRecord>(paths.daemon);
    return record !== undefined && isRunning(record.pid, record.startTime);
}

export type ReadyOutcome = { ready: true; ms: number } | { ready: false; why: string };

/** Waits until the daemon wrote the kubeconfig (ready), reported a failure, died, or `timeoutMs` passed. */
export async function waitReady(paths: ClusterPaths, timeoutMs: number): Promise<ReadyOutcome> {
    const started = Date.now();
    while (Date.now() - started < timeoutMs) {
        if (fs.existsSync(paths.kubeconfig)) return { ready: true, ms: Date.now() - started };
        if (fs.existsSync(paths.failed)) return { ready: false, why: fs.readFileSync(paths.failed, "utf8").trim() };
        if (!daemonRunning(paths)) return { ready: false, why: "the control plane's daemon exited" };
        await sleep(200);
    }
    return { ready: false, why: `the control plane was not ready after ${Math.round(timeoutMs / 1000)} s` };
}

/**
 * SIGTERM to the daemon's process group (it stops the control plane), SIGKILL after `graceMs`; then whatever
 * still carries the cluster's marker is killed too. Resolves once nothing of the cluster runs. Returns the
 * pids it had to signal (empty: nothing was running).
 */
export async function stopDaemon(paths: ClusterPaths, graceMs = 30_000): Promise<number[]> {
    const signalled: number[] = [];
    const record = readJson<DaemonRecord>(paths.daemon);
    if (record && isRunning(record.pid, record.startTime)) {
        signalled.push(record.pid);
        signal(-record.pid, "SIGTERM");
        const deadline = Date.now() + graceMs;
        while (isRunning(record.pid, record.startTime) && Date.now() < deadline) await sleep(100);
        if (isRunning(record.pid, record.startTime)) signal(-record.pid, "SIGKILL");
        while (isRunning(record.pid, record.startTime)) await sleep(50);
    }
    // Left behind only if the daemon was killed before it stopped them.
    const deadline = Date.now() + 10_000;
    for (let pids = markedProcesses(paths.dir); pids.length > 0; pids = markedProcesses(paths.dir)) {
        if (Date.now() > deadline) throw new Error(`processes of ${paths.dir} survive SIGKILL: ${pids.join(", ")}`);
        for (const pid of pids) {
            if (!signalled.includes(pid)) signalled.push(pid);
            signal(pid, "SIGKILL");
        }
        await sleep(50);
    }
    return signalled;
}

/**
 * Stops every daemon and process of every cluster under `root` (the folders stay, for their logs). For test
 * teardown; returns `<cluster>: pid, …` for each cluster where something was still running.
 */
export async function stopAllDaemons(root: string): Promise<string[]> {
    const stopped: string[] = [];
    for (const name of listClusters(root)) {
        const pids = await stopDaemon(clusterPaths(root, name), 10_000);
        if (pids.length > 0) stopped.push(`${name}: ${pids.join(", ")}`);
    }
    // Processes of clusters whose folders are gone already.
    const strays = markedProcesses(root);
    for (const pid of strays) signal(pid, "SIGKILL");
    if (strays.length > 0) stopped.push(`(no folder): ${strays.join(", ")}`);
    return stopped;
}

/** Processes of any stand-in cluster under `root` still running. */
export function runningStandinProcesses(root: string): number[] {
    return markedProcesses(root);
}
