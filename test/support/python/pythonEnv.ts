/** The virtualenv env.sh builds: found (and built, the first time) by running env.sh itself. */

import { spawnSync } from "child_process";
import * as path from "path";
import { projectPath } from "../paths";

const ENV_SH = projectPath("test", "support", "python", "env.sh");

/** Runs env.sh: the venv's path on stdout; its progress (a first build takes about a minute) shown as it goes. */
export function exampleVenv(): string {
    const result = spawnSync("bash", [ENV_SH], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
    if (result.status !== 0) throw new Error(`test/support/python/env.sh failed (exit ${result.status ?? result.signal}); run \`npm run example:env\` to see why`);
    return result.stdout.trim();
}

/** The environment a process needs to run as if the venv were activated: `python` in a job's entrypoint is the venv's. */
export function venvEnv(venv: string): NodeJS.ProcessEnv {
    return { ...process.env, VIRTUAL_ENV: venv, PATH: `${path.join(venv, "bin")}:${process.env.PATH ?? ""}`, RAY_USAGE_STATS_ENABLED: "0" };
}

export function venvBin(venv: string, name: string): string {
    return path.join(venv, "bin", name);
}
