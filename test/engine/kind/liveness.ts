/**
 * Whether a process the stand-in started is still running, read from /proc (Linux). The daemon outlives the
 * `kind` process that started it, so nobody waits for it: a pid is checked against the start time recorded
 * with it (pids get reused), and a zombie — exited, not yet reaped by whoever inherited it — counts as gone.
 *
 * Every process of a cluster (the daemon and the harness's etcd, API server, … which inherit its environment)
 * carries NODE_MARKER=<cluster folder>, so that whatever is left of a cluster can be found and killed even if
 * the daemon itself was killed before it could stop them.
 */

import * as fs from "fs";

export const NODE_MARKER = "KIND_STANDIN_NODE";

interface ProcStat {
    state: string;
    startTime: string;
}

function procStat(pid: number): ProcStat | undefined {
    let text: string;
    try {
        text = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch {
        return undefined;
    }
    // The command name is in parentheses and may hold spaces: fields are counted after the last ')'.
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return { state: fields[0], startTime: fields[19] };
}

export function processStartTime(pid: number): string | undefined {
    return procStat(pid)?.startTime;
}

/** The process `pid` that started at `startTime` exists and has not exited. */
export function isRunning(pid: number, startTime: string): boolean {
    const stat = procStat(pid);
    return stat !== undefined && stat.startTime === startTime && stat.state !== "Z" && stat.state !== "X";
}

/** Running processes whose environment has NODE_MARKER equal to `dir` or inside it; never this process. */
export function markedProcesses(dir: string): number[] {
    const found: number[] = [];
    for (const entry of fs.readdirSync("/proc")) {
        const pid = Number(entry);
        if (!Number.isInteger(pid) || pid === process.pid) continue;
        let environ: string;
        try {
            environ = fs.readFileSync(`/proc/${pid}/environ`, "utf8");
        } catch {
            continue;
        }
        const marker = environ.split("\0").find((variable) => variable.startsWith(`${NODE_MARKER}=`));
        const value = marker?.slice(NODE_MARKER.length + 1);
        const stat = procStat(pid);
        if (value !== undefined && (value === dir || value.startsWith(`${dir}/`)) && stat && stat.state !== "Z" && stat.state !== "X") found.push(pid);
    }
    return found;
}

export function signal(pid: number, name: NodeJS.Signals): void {
    try {
        process.kill(pid, name);
    } catch {
        // already gone
    }
}

export async function sleep(ms: number): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, ms));
}
