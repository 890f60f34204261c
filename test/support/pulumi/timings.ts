/** Prints the wall time of every CLI call of a test file: the README's preview, up and destroy figures. */

import { TimedCall } from "./pulumiCli";

export function printTimings(calls: TimedCall[]): void {
    const lines = calls.map((call) => `  ${(call.ms / 1000).toFixed(1).padStart(6)} s  ${call.code === 0 ? "ok  " : `exit ${call.code}`}  ${call.command}`);
    console.log(`Pulumi CLI calls (wall time):\n${lines.join("\n")}`);
}
