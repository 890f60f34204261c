/**
 * Ray's processes, read from /proc: those whose command line names our Ray temp dir (gcs_server, raylet,
 * dashboard, agents, monitors) and everything they started (workers, the job supervisor, the job's driver).
 * The temp dir is unique to one run, so this never sees another Ray on the machine.
 */

import * as fs from "fs";

export interface RayProcess {
    pid: number;
    name: string;
    /** Resident set, bytes: shared pages (the object store, libraries) are counted in every process. */
    rssBytes: number;
    /** Proportional set, bytes: shared pages divided among the processes that map them, so they add up. */
    pssBytes: number;
}

interface ProcEntry {
    pid: number;
    ppid: number;
    name: string;
    cmdline: string;
}

/** Ray retitles its workers `ray::RayTrainWorker…`; its daemons are `python …/dashboard.py` and the like. */
function displayName(comm: string, argv: string[]): string {
    if (argv[0]?.startsWith("ray::")) return argv[0].split(/[ .]/)[0];
    if (/^python/.test(comm)) {
        const script = argv.slice(1).find((arg) => arg.endsWith(".py"));
        if (script) return script.split("/").slice(-2).join("/");
    }
    return comm;
}

function readProc(pid: number): ProcEntry | undefined {
    try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        // `pid (comm) state ppid …`: comm may hold spaces and parentheses, so split after the last ")".
        const close = stat.lastIndexOf(")");
        const name = stat.slice(stat.indexOf("(") + 1, close);
        const [state, ppid] = stat.slice(close + 2).split(" ");
        // A zombie has exited and holds no memory; only its parent's wait() is missing.
        if (state === "Z") return undefined;
        const argv = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
        return { pid, ppid: Number(ppid), name: displayName(name, argv), cmdline: argv.join(" ") };
    } catch {
        return undefined; // gone between readdir and read
    }
}

function kilobytes(file: string, field: string): number {
    try {
        const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(fs.readFileSync(file, "utf8"));
        return match ? Number(match[1]) * 1024 : 0;
    } catch {
        return 0;
    }
}

/** The processes of the Ray whose temp dir is `tempDir`, with their memory. */
export function rayProcesses(tempDir: string): RayProcess[] {
    const entries = fs
        .readdirSync("/proc")
        .filter((name) => /^\d+$/.test(name))
        .map((name) => readProc(Number(name)))
        .filter((entry): entry is ProcEntry => entry !== undefined);
    const children = new Map<number, ProcEntry[]>();
    for (const entry of entries) children.set(entry.ppid, [...(children.get(entry.ppid) ?? []), entry]);
    const found = new Map<number, ProcEntry>();
    const visit = (entry: ProcEntry) => {
        if (found.has(entry.pid)) return;
        found.set(entry.pid, entry);
        for (const child of children.get(entry.pid) ?? []) visit(child);
    };
    for (const entry of entries) if (entry.cmdline.includes(tempDir)) visit(entry);
    return [...found.values()].map(({ pid, name }) => ({
        pid,
        name,
        rssBytes: kilobytes(`/proc/${pid}/status`, "VmRSS"),
        pssBytes: kilobytes(`/proc/${pid}/smaps_rollup`, "Pss"),
    }));
}

export interface MemoryPeak {
    samples: number;
    /** The largest sum over Ray's processes at one instant. */
    peakRssBytes: number;
    peakPssBytes: number;
    peakProcesses: number;
    /** At the peak PSS: PSS by process name (Ray titles its workers `ray::<actor or task>`), largest first. */
    peakBreakdown: { name: string; count: number; pssBytes: number }[];
}

function breakdown(processes: RayProcess[]): MemoryPeak["peakBreakdown"] {
    const byName = new Map<string, { name: string; count: number; pssBytes: number }>();
    for (const { name, pssBytes } of processes) {
        const entry = byName.get(name) ?? { name, count: 0, pssBytes: 0 };
        entry.count += 1;
        entry.pssBytes += pssBytes;
        byName.set(name, entry);
    }
    return [...byName.values()].sort((a, b) => b.pssBytes - a.pssBytes);
}

/** Samples Ray's memory every `intervalMs` until stopped; `stop()` returns the peaks. */
export function sampleRayMemory(tempDir: string, intervalMs = 500): { stop(): MemoryPeak } {
    const peak: MemoryPeak = { samples: 0, peakRssBytes: 0, peakPssBytes: 0, peakProcesses: 0, peakBreakdown: [] };
    const sample = () => {
        const processes = rayProcesses(tempDir);
        const pss = processes.reduce((sum, p) => sum + p.pssBytes, 0);
        peak.samples += 1;
        peak.peakRssBytes = Math.max(peak.peakRssBytes, processes.reduce((sum, p) => sum + p.rssBytes, 0));
        if (pss > peak.peakPssBytes) {
            peak.peakPssBytes = pss;
            peak.peakBreakdown = breakdown(processes);
        }
        peak.peakProcesses = Math.max(peak.peakProcesses, processes.length);
    };
    sample();
    const timer = setInterval(sample, intervalMs);
    return {
        stop() {
            clearInterval(timer);
            sample();
            return { ...peak };
        },
    };
}

export function mebibytes(bytes: number): string {
    return `${(bytes / 2 ** 20).toFixed(0)} MiB`;
}
