/**
 * The stand-in's state: `$KIND_STANDIN_STATE/<cluster>/`, one folder per cluster (a folder is a cluster, as a
 * node container is for kind), and `$KIND_STANDIN_STATE/events.log`, which outlives the clusters and tells in
 * what order they were created and deleted.
 *
 *     <cluster>/cluster.json   what `create cluster` was asked for and how the config mapped (ClusterRecord)
 *     <cluster>/daemon.json    the daemon's pid and start time (DaemonRecord)
 *     <cluster>/daemon.log     the daemon's output
 *     <cluster>/kubeconfig     written by the daemon once the control plane is ready (kind's names)
 *     <cluster>/failed.txt     written by the daemon when the control plane could not start
 *     <cluster>/node-root/     the node's own filesystem (the audit log is written here)
 *     <cluster>/run/           the harness's run folder (PKI, etcd data, every process's log)
 */

import * as fs from "fs";
import * as path from "path";
import { StandinUsageError } from "./args";
import type { ApiServerAudit, NodeLayout } from "./nodeConfig";

export const STATE_ENV = "KIND_STANDIN_STATE";

export interface ClusterRecord {
    name: string;
    image: string;
    configFile: string;
    createdAt: string;
    audit: ApiServerAudit;
    layout: NodeLayout;
    /** The namespaces the audit policy names: the operator watches them. */
    namespaces: string[];
}

export interface DaemonRecord {
    pid: number;
    /** From /proc/<pid>/stat: tells the daemon from a later process that got its pid. */
    startTime: string;
}

/** The state folder, from $KIND_STANDIN_STATE (required: the stand-in never guesses where to keep clusters). */
export function stateRoot(env: NodeJS.ProcessEnv = process.env): string {
    const root = env[STATE_ENV];
    if (!root) throw new StandinUsageError(`${STATE_ENV} is not set: the kind stand-in keeps its clusters in that folder (set it to an absolute path)`);
    if (!path.isAbsolute(root)) throw new StandinUsageError(`${STATE_ENV} must be an absolute path, got ${JSON.stringify(root)}`);
    fs.mkdirSync(root, { recursive: true });
    return root;
}

export function clusterPaths(root: string, name: string) {
    const dir = path.join(root, name);
    return {
        dir,
        record: path.join(dir, "cluster.json"),
        daemon: path.join(dir, "daemon.json"),
        daemonLog: path.join(dir, "daemon.log"),
        kubeconfig: path.join(dir, "kubeconfig"),
        failed: path.join(dir, "failed.txt"),
        nodeRoot: path.join(dir, "node-root"),
        runDir: path.join(dir, "run"),
    };
}

export type ClusterPaths = ReturnType<typeof clusterPaths>;

/** Cluster names, sorted (as `kind get clusters` prints them). */
export function listClusters(root: string): string[] {
    if (!fs.existsSync(root)) return [];
    return fs
        .readdirSync(root, { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => entry.name)
        .sort();
}

export function readJson<T>(file: string): T | undefined {
    try {
        return JSON.parse(fs.readFileSync(file, "utf8")) as T;
    } catch {
        return undefined;
    }
}

/** Written whole or not at all: a reader never sees half a file. */
export function writeFileAtomic(file: string, text: string, mode = 0o644): void {
    const temporary = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, text, { mode });
    fs.renameSync(temporary, file);
}

/** One line in events.log: `<ISO time> <pid> <what>`. */
export function logEvent(root: string, what: string): void {
    fs.appendFileSync(path.join(root, "events.log"), `${new Date().toISOString()} ${process.pid} ${what}\n`);
}

export function readEvents(root: string): string[] {
    const file = path.join(root, "events.log");
    return fs.existsSync(file) ? fs.readFileSync(file, "utf8").split("\n").filter((line) => line !== "") : [];
}
