/** Wall time and peak memory (max RSS) of one command, as GNU time measures them; output to a file or nowhere. */

import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export interface Measurement {
    seconds: number;
    /** User + system CPU time: steadier than wall time on a busy machine. */
    cpuSeconds: number;
    maxRssMiB: number;
    status: number | null;
}

const TIME = "/usr/bin/time";

export function measure(command: string, args: string[], stdoutFile = "/dev/null"): Measurement {
    if (!fs.existsSync(TIME)) throw new Error(`${TIME} (GNU time, Debian package "time") is needed to measure peak memory`);
    const report = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "pss-measure-")), "time");
    const out = fs.openSync(stdoutFile, "w");
    try {
        const result = spawnSync(TIME, ["-f", "%e %M %U %S", "-o", report, command, ...args], { stdio: ["ignore", out, "pipe"], maxBuffer: 1 << 26 });
        const [seconds, kib, user, system] = fs.readFileSync(report, "utf8").trim().split("\n").pop()!.split(" ").map(Number);
        return { seconds, cpuSeconds: user + system, maxRssMiB: kib / 1024, status: result.status };
    } finally {
        fs.closeSync(out);
        fs.rmSync(path.dirname(report), { recursive: true, force: true });
    }
}

export const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
