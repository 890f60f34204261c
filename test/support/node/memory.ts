/**
 * Peak memory over a run: the machine's (MemTotal − MemAvailable, sampled every second) and the node's Pods'
 * (the peak the kernel records for the node's memory cgroup).
 */

import * as fs from "fs";
import { CGROUP_NAME } from "../harness/realNode";

const GIB = 1024 ** 3;

function meminfo(): Record<string, number> {
    const values: Record<string, number> = {};
    for (const line of fs.readFileSync("/proc/meminfo", "utf8").split("\n")) {
        const match = /^(\w+):\s+(\d+) kB/.exec(line);
        if (match) values[match[1]] = Number(match[2]) * 1024;
    }
    return values;
}

export const machineMemoryInUse = () => {
    const info = meminfo();
    return info.MemTotal - info.MemAvailable;
};

const NODE_PODS_PEAK_FILE = `/sys/fs/cgroup/memory/${CGROUP_NAME}/kubepods/memory.max_usage_in_bytes`;

/** The Pods' peak, from the kubelet's cgroup for them (cgroup v1; default: the real node's), while it exists. */
export function podsPeakBytes(file = NODE_PODS_PEAK_FILE): number | undefined {
    return fs.existsSync(file) ? Number(fs.readFileSync(file, "utf8").trim()) : undefined;
}

export class MemorySampler {
    /** `peakFile`: the cgroup v1 memory.max_usage_in_bytes whose peak is "the Pods'" (default: the real node's). */
    constructor(private readonly peakFile = NODE_PODS_PEAK_FILE) {}

    private readonly baseline = machineMemoryInUse();
    private peak = this.baseline;
    private podsPeak = 0;
    private readonly timer = setInterval(() => {
        this.peak = Math.max(this.peak, machineMemoryInUse());
        this.podsPeak = Math.max(this.podsPeak, podsPeakBytes(this.peakFile) ?? 0);
    }, 1000);

    stop(): string {
        clearInterval(this.timer);
        const gib = (bytes: number) => `${(bytes / GIB).toFixed(2)} GiB`;
        return `peak memory in use on the machine ${gib(this.peak)} (${gib(this.peak - this.baseline)} over the ${gib(this.baseline)} before the suite), Pods' peak ${gib(this.podsPeak)}`;
    }
}
