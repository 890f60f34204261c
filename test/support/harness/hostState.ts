/**
 * What a real node changes on the host, recorded before it starts and put back after it stops: netfilter
 * tables (kube-proxy's and the CNI plugins' chains), the kernel settings the kubelet and the bridge plugin
 * write, network namespaces, links, mounts, cgroups and the host folders containerd and the kubelet create.
 * Everything here is synchronous, so the same restore runs from a normal stop, from the process's exit
 * handler after an interrupt, and from the next run when the previous one was killed outright.
 */

import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

/** The kernel settings a real node writes: the kubelet's "kernel defaults" and the bridge plugin's forwarding. */
export const NODE_SYSCTLS = [
    "net/ipv4/ip_forward",
    "net/ipv4/conf/all/route_localnet",
    "net/bridge/bridge-nf-call-iptables",
    "vm/overcommit_memory",
    "vm/panic_on_oom",
    "kernel/panic",
    "kernel/panic_on_oops",
    "kernel/keys/root_maxkeys",
    "kernel/keys/root_maxbytes",
];

/** What the node may create, and so what the restore may delete: other programs' links, namespaces and tables
 *  are never touched (only reported if they appeared during the run). */
const isNodeLink = (snapshot: HostSnapshot, name: string) => name === snapshot.bridge || /^veth[0-9a-f]+$/.test(name);
const NODE_NETNS = /^cni-/;
const NODE_NFT_TABLES = /^(ip|ip6) (filter|nat|mangle|raw|security|kube-proxy|krps_node_egress|krps_kind_egress)$/;

/** Host folders the node's programs create when missing (containerd's shim sockets, pod logs, netns mounts, CNI state). */
export const NODE_HOST_DIRS = ["/run/containerd", "/run/netns", "/var/log/pods", "/var/log/containers", "/var/lib/cni", "/run/flannel"];

export interface HostSnapshot {
    runDir: string;
    /** `family name` → `nft list table` text, for every table that existed. */
    nftTables: Record<string, string>;
    sysctls: Record<string, string>;
    netns: string[];
    links: string[];
    /** Host folders in NODE_HOST_DIRS that did not exist (removed again after the run). */
    absentDirs: string[];
    /** Top-level children of these folders that did exist (anything else in them afterwards is the run's). */
    dirEntries: Record<string, string[]>;
    /** cgroup folders the node may create under, one per mounted hierarchy. */
    cgroupRoots: string[];
    /** Mount points at or under these paths belong to the run. */
    mountPrefixes: string[];
    /** The node's bridge (its Pods' veths are the other links the node makes). */
    bridge: string;
    /** A process whose command line holds this (the run folder) is the run's: containerd's shims outlive their parent. */
    processMarker: string;
}

const run = (command: string, args: string[]) => execFileSync(command, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

function nftTables(): Record<string, string> {
    const tables: Record<string, string> = {};
    for (const line of run("nft", ["list", "tables"]).split("\n").filter(Boolean)) {
        const [, family, name] = line.trim().split(/\s+/);
        tables[`${family} ${name}`] = run("nft", ["list", "table", family, name]);
    }
    return tables;
}

const readSysctl = (key: string) => (fs.existsSync(`/proc/sys/${key}`) ? fs.readFileSync(`/proc/sys/${key}`, "utf8").trim() : undefined);
const listDir = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []);
const links = () => run("ip", ["-o", "link", "show"]).split("\n").filter(Boolean).map((line) => line.split(":")[1].trim().split("@")[0]);

export function cgroupHierarchies(): string[] {
    return fs
        .readFileSync("/proc/self/mounts", "utf8")
        .split("\n")
        .map((line) => line.split(" "))
        .filter((fields) => fields[2] === "cgroup" || fields[2] === "cgroup2")
        .map((fields) => fields[1]);
}

export function mountPointsUnder(prefixes: string[]): string[] {
    return fs
        .readFileSync("/proc/self/mounts", "utf8")
        .split("\n")
        .map((line) => line.split(" ")[1]?.replace(/\\040/g, " "))
        .filter((point): point is string => !!point && prefixes.some((prefix) => point === prefix || point.startsWith(`${prefix}/`)));
}

/** Pids of the processes whose command line contains `marker`, other than this one. */
export function processesWith(marker: string): number[] {
    return fs
        .readdirSync("/proc")
        .filter((entry) => /^[0-9]+$/.test(entry) && Number(entry) !== process.pid)
        .filter((pid) => {
            try {
                return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(marker);
            } catch {
                return false;
            }
        })
        .map(Number);
}

export function snapshotHost(runDir: string, cgroupName: string, mountPrefixes: string[], bridge: string): HostSnapshot {
    const sysctls: Record<string, string> = {};
    for (const key of NODE_SYSCTLS) {
        const value = readSysctl(key);
        if (value !== undefined) sysctls[key] = value;
    }
    return {
        runDir,
        nftTables: nftTables(),
        sysctls,
        netns: listDir("/run/netns"),
        links: links(),
        absentDirs: NODE_HOST_DIRS.filter((dir) => !fs.existsSync(dir)),
        dirEntries: Object.fromEntries(NODE_HOST_DIRS.map((dir) => [dir, listDir(dir)])),
        cgroupRoots: cgroupHierarchies().map((hierarchy) => path.join(hierarchy, cgroupName)),
        mountPrefixes,
        bridge,
        processMarker: runDir,
    };
}

function attempt(what: string, action: () => void, problems: string[]): void {
    try {
        action();
    } catch (error) {
        problems.push(`${what}: ${((error as { stderr?: string }).stderr || (error as Error).message).trim()}`);
    }
}

/** Pids of every process in a cgroup folder or below it. */
function cgroupPids(dir: string): number[] {
    if (!fs.existsSync(dir)) return [];
    const pids = fs.readFileSync(path.join(dir, "cgroup.procs"), "utf8").split("\n").filter(Boolean).map(Number);
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        if (entry.isDirectory()) pids.push(...cgroupPids(path.join(dir, entry.name)));
    }
    return pids;
}

function removeCgroupTree(dir: string): void {
    if (!fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        if (entry.isDirectory()) removeCgroupTree(path.join(dir, entry.name));
    }
    fs.rmdirSync(dir);
}

/**
 * Puts the host back as `snapshot` found it: kills what is left in the node's cgroups, unmounts the run's
 * mounts, deletes the run's network namespaces and links, restores netfilter tables and kernel settings,
 * removes the cgroups and the host folders the run created. Returns what could not be undone.
 */
export function restoreHost(snapshot: HostSnapshot): string[] {
    const problems: string[] = [];
    // Processes first: a process keeps its mounts and network namespace alive.
    const leftProcesses = () => [...new Set([...snapshot.cgroupRoots.flatMap(cgroupPids), ...processesWith(snapshot.processMarker)])];
    for (const pid of leftProcesses()) attempt(`kill ${pid}`, () => process.kill(pid, "SIGKILL"), problems);
    for (let waited = 0; waited < 50 && leftProcesses().length > 0; waited++) execFileSync("sleep", ["0.1"]);

    const newNetns = listDir("/run/netns").filter((name) => !snapshot.netns.includes(name) && NODE_NETNS.test(name));
    for (const point of mountPointsUnder([...snapshot.mountPrefixes, ...newNetns.map((name) => `/run/netns/${name}`)]).reverse()) {
        attempt(`umount ${point}`, () => run("umount", ["-l", point]), problems);
    }
    for (const name of newNetns) attempt(`delete netns ${name}`, () => run("ip", ["netns", "delete", name]), problems);
    for (const name of links().filter((link) => !snapshot.links.includes(link) && isNodeLink(snapshot, link))) {
        attempt(`delete link ${name}`, () => run("ip", ["link", "delete", name]), problems);
    }

    const tablesNow = nftTables();
    for (const [table, text] of Object.entries(tablesNow)) {
        if (snapshot.nftTables[table] === text || !NODE_NFT_TABLES.test(table)) continue;
        attempt(`delete nft table ${table}`, () => run("nft", ["delete", "table", ...table.split(" ")]), problems);
        const before = snapshot.nftTables[table];
        if (before !== undefined) attempt(`restore nft table ${table}`, () => execFileSync("nft", ["-f", "-"], { input: before }), problems);
    }

    for (const [key, value] of Object.entries(snapshot.sysctls)) {
        if (readSysctl(key) !== value) attempt(`restore ${key}`, () => fs.writeFileSync(`/proc/sys/${key}`, value), problems);
    }
    for (const root of snapshot.cgroupRoots) attempt(`remove cgroup ${root}`, () => removeCgroupTree(root), problems);
    for (const dir of NODE_HOST_DIRS) {
        if (snapshot.absentDirs.includes(dir)) {
            attempt(`remove ${dir}`, () => fs.rmSync(dir, { recursive: true, force: true }), problems);
        } else {
            for (const entry of listDir(dir).filter((name) => !snapshot.dirEntries[dir].includes(name))) {
                attempt(`remove ${dir}/${entry}`, () => fs.rmSync(path.join(dir, entry), { recursive: true, force: true }), problems);
            }
        }
    }
    return problems;
}

/** What differs from `snapshot` now: empty when the host is as it was. */
export function hostLeftovers(snapshot: HostSnapshot): string[] {
    const now = snapshotHost(snapshot.runDir, "", snapshot.mountPrefixes, snapshot.bridge);
    const left: string[] = processesWith(snapshot.processMarker).map((pid) => `process ${pid}`);
    for (const table of new Set([...Object.keys(now.nftTables), ...Object.keys(snapshot.nftTables)])) {
        if (now.nftTables[table] !== snapshot.nftTables[table]) left.push(`nft table ${table} differs`);
    }
    for (const [key, value] of Object.entries(snapshot.sysctls)) {
        if (now.sysctls[key] !== value) left.push(`${key} is ${now.sysctls[key]}, was ${value}`);
    }
    left.push(...now.netns.filter((name) => !snapshot.netns.includes(name)).map((name) => `network namespace ${name}`));
    left.push(...now.links.filter((name) => !snapshot.links.includes(name)).map((name) => `link ${name}`));
    left.push(...mountPointsUnder(snapshot.mountPrefixes).map((point) => `mount ${point}`));
    left.push(...snapshot.cgroupRoots.filter((root) => fs.existsSync(root)).map((root) => `cgroup ${root}`));
    for (const dir of NODE_HOST_DIRS) {
        if (snapshot.absentDirs.includes(dir)) {
            if (fs.existsSync(dir)) left.push(`folder ${dir}`);
        } else {
            left.push(...listDir(dir).filter((name) => !snapshot.dirEntries[dir].includes(name)).map((name) => `${dir}/${name}`));
        }
    }
    return left;
}

export interface HostGuard {
    /** Puts the host back (once); returns what could not be undone or is still different. */
    restore(): string[];
    /** restore(), no longer also at exit; throws listing anything left. */
    release(what: string): void;
}

/**
 * Records the host before a run that changes it and guards it: the record is kept in the run folder and the
 * run is named in `activeFile`, so that the same restore runs at stop, at exit after an interrupt, and — when
 * the run was killed outright — from the next run's guard, before it records anything.
 */
export function guardHost(options: { activeFile: string; runDir: string; cgroupName: string; mountPrefixes: string[]; bridge: string; what: string }): HostGuard {
    const { activeFile, runDir } = options;
    if (fs.existsSync(activeFile)) {
        const snapshotFile = path.join(fs.readFileSync(activeFile, "utf8").trim(), "host-snapshot.json");
        if (fs.existsSync(snapshotFile)) {
            const problems = restoreHost(JSON.parse(fs.readFileSync(snapshotFile, "utf8")) as HostSnapshot);
            if (problems.length > 0) throw new Error(`cleaning up after an earlier ${options.what} run failed:\n${problems.join("\n")}`);
        }
        fs.rmSync(activeFile, { force: true });
    }
    const snapshot = snapshotHost(runDir, options.cgroupName, options.mountPrefixes, options.bridge);
    fs.writeFileSync(path.join(runDir, "host-snapshot.json"), JSON.stringify(snapshot));
    fs.writeFileSync(activeFile, runDir);
    let restored = false;
    const restore = (): string[] => {
        if (restored) return [];
        restored = true;
        const problems = restoreHost(snapshot);
        const left = hostLeftovers(snapshot);
        if (left.length === 0) fs.rmSync(activeFile, { force: true });
        return [...problems, ...left];
    };
    // Interrupted or failed: the host is put back whatever happens to the test process.
    process.on("exit", restore);
    return {
        restore,
        release: (what: string) => {
            process.removeListener("exit", restore);
            const left = restore();
            if (left.length > 0) throw new Error(`${what} left the host changed:\n${left.join("\n")}`);
        },
    };
}
