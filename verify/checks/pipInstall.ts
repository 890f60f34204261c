/** `pip install jsonpatch` in the head Pod, as the tutorial runs it under `restricted` → verdict. Pure. */

import { tailLines } from "../../lib/text";
import { ExecResult } from "../kube/clusterApi";
import { CheckResult, checkResult } from "./checkResult";

export const PIP_COMMAND = ["pip", "install", "jsonpatch"];

export function pipResult(pod: string, result: ExecResult, timeoutSeconds: number): CheckResult {
    const command = `\`${PIP_COMMAND.join(" ")}\` in ${pod}`;
    const data = { pod, exitCode: result.exitCode ?? null, timedOut: result.timedOut };
    if (result.exitCode === 0) {
        const last = tailLines(result.stdout, 1)[0]?.trim();
        return checkResult("pip", "passed", `${command} exited 0${last ? ` (${last})` : ""}`, [], data);
    }
    const combined = [result.stdout, result.stderr].map((text) => text.trimEnd()).filter(Boolean).join("\n");
    const output = tailLines(combined, 10).map((line) => `  ${line}`);
    const why = result.timedOut
        ? `did not finish within ${timeoutSeconds}s`
        : result.exitCode !== undefined
          ? `exited ${result.exitCode}`
          : `gave no exit code${result.error ? `: ${result.error}` : ""}`;
    return checkResult("pip", "failed", `${command} ${why}`, output.length > 0 ? ["output:", ...output] : [], data);
}
