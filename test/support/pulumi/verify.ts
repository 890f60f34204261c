/**
 * `npx kuberay-verify` on a stack, as a user runs it after `pulumi up`: the shipped command (the bin, its
 * bundle built by the launcher), same Pulumi CLI, same backend, same passphrase.
 */

import { execFile } from "child_process";
import * as path from "path";
import { PulumiCli } from "./pulumiCli";
import { PROJECT_DIR } from "../paths";

export interface VerifyReport {
    code: number;
    /** The `--json` report. */
    json: { ok: boolean; checks: Array<{ id: string; title: string; status: string; summary: string }> };
    /** stdout and stderr, for failure messages. */
    output: string;
}

export function runVerify(cli: PulumiCli, stack: string, args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<VerifyReport> {
    return new Promise((resolve, reject) => {
        execFile(
            process.execPath,
            [path.join(PROJECT_DIR, "verify", "cli", "kuberay-verify.cjs"), "--stack", stack, "--json", "--timeout", "30", ...args],
            { cwd: PROJECT_DIR, env: { ...cli.env, ...env }, maxBuffer: 64 * 1024 * 1024 },
            (error, stdout, stderr) => {
                const code = error ? ((error as { code?: number }).code ?? 1) : 0;
                try {
                    resolve({ code, json: JSON.parse(stdout), output: `${stdout}\n${stderr}` });
                } catch {
                    reject(new Error(`verify printed no JSON report (exit ${code}):\n${stdout}\n${stderr}`));
                }
            },
        );
    });
}
