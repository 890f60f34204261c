import { ControlPlane } from "../harness/controlPlane";
import { runningProcesses } from "../harness/processes";
import { HelmRepository } from "./helmRepository";
import { PulumiCli } from "./pulumiCli";
import { printTimings } from "./timings";

/**
 * The end of an engine suite file, whatever its tests left: the CLI calls' timings, then the CLI's files and
 * processes, the chart repository, the control plane (the stacks' resources go with it); nothing left running.
 */
export async function endEngineRun(cli: PulumiCli | undefined, repo: HelmRepository | undefined, plane: ControlPlane | undefined): Promise<void> {
    if (cli) printTimings(cli.calls);
    cli?.dispose();
    await repo?.close();
    await plane?.stop();
    const left = runningProcesses();
    if (left.length > 0) throw new Error(`processes left behind: ${left.join(", ")}`);
}
