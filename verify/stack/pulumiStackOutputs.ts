/** `pulumi stack output --json --show-secrets`: the kubeconfig output is a secret the checks need in clear. */

import { execFile } from "child_process";
import * as path from "path";
import { UsageError } from "../cli/io";
import { firstNonBlankLine } from "../text";
import { StackOutputs } from "./stackOutputs";

/** Where Pulumi.yaml is. */
export const PROJECT_DIR = path.resolve(__dirname, "..", "..");

export type StackOutputsSource = (stack: string | undefined) => Promise<StackOutputs>;

export const pulumiStackOutputs: StackOutputsSource = (stack) =>
    new Promise((resolve, reject) => {
        const args = ["stack", "output", "--json", "--show-secrets", ...(stack ? ["--stack", stack] : [])];
        execFile("pulumi", args, { cwd: PROJECT_DIR, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
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
