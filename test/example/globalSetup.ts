/** Starts one Ray head for the whole example suite and always stops it, checking nothing of it is left. */

import type { TestProject } from "vitest/node";
import { exampleVenv } from "../support/python/pythonEnv";
import { startRayHead } from "../support/ray/rayHead";
import { failingRunOnError } from "../support/teardown";

export interface RayHeadInfo {
    venv: string;
    tempDir: string;
    dashboardUrl: string;
    rayVersion: string;
}

declare module "vitest" {
    export interface ProvidedContext {
        rayHead: RayHeadInfo;
    }
}

export default async function setup(project: TestProject) {
    const venv = exampleVenv();
    const head = await startRayHead(venv);
    const { tempDir, dashboardUrl, rayVersion, startMs } = head;
    project.provide("rayHead", { venv, tempDir, dashboardUrl, rayVersion });
    console.log(`Ray ${rayVersion} head up in ${(startMs / 1000).toFixed(1)} s: dashboard ${dashboardUrl}, venv ${venv}, session files ${tempDir}`);
    return () =>
        failingRunOnError(async () => {
            await head.stop();
            console.log(`Ray head stopped, no Ray process left; session files kept in ${tempDir}`);
        });
}
