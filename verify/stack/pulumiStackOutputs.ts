/** `pulumi stack output --json --show-secrets`: the kubeconfig output is a secret the checks need in clear. */

import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { UsageError } from "../../lib/cli/errors";
import { firstNonBlankLine } from "../../lib/text";
import { StackOutputs } from "./stackOutputs";

/** Where Pulumi.yaml is: above this module, or above the bundle in node_modules/.cache that the command runs. */
export function projectDir(from: string = __dirname): string {
    for (let dir = from; ; dir = path.dirname(dir)) {
        if (fs.existsSync(path.join(dir, "Pulumi.yaml"))) return dir;
        if (path.dirname(dir) === dir) throw new UsageError(`no Pulumi.yaml above ${from}: verify runs from the project's folder tree`);
    }
}

export type StackOutputsSource = (stack: string | undefined) => Promise<StackOutputs>;

export const pulumiStackOutputs: StackOutputsSource = (stack) =>
    new Promise((resolve, reject) => {
        const args = ["stack", "output", "--json", "--show-secrets", ...(stack ? ["--stack", stack] : [])];
        execFile("pulumi", args, { cwd: projectDir(), maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
            if ((error as NodeJS.ErrnoException | null)?.code === "ENOENT") {
                return reject(new UsageError("`pulumi` is not on PATH: install the Pulumi CLI to read the stack's outputs"));
            }
            if (error) {
                const why = firstNonBlankLine(stderr) ?? error.message;
                return reject(new UsageError(`\`pulumi ${args.join(" ")}\` failed: ${why.replace(/^error: /, "")}`));
            }
            try {
                const outputs: unknown = JSON.parse(stdout);
                if (typeof outputs !== "object" || outputs === null || Array.isArray(outputs)) throw new Error("not an object");
                resolve(outputs as StackOutputs);
            } catch {
                reject(new UsageError("`pulumi stack output --json` did not print a JSON object"));
            }
        });
    });
