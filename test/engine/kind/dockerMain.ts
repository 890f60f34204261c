/**
 * Entry point of the stand-in `docker` (bin/docker): `docker exec <cluster>-control-plane cat <path>` prints a
 * file of a stand-in kind node, found as the node would see it (its extraMounts, else its own filesystem);
 * the answers to a missing container or file are docker's and cat's.
 */

import * as fs from "fs";
import { parseDockerArgs, StandinUsageError } from "./args";
import { daemonRunning } from "./daemonControl";
import { nodePathOnMachine } from "./nodeConfig";
import { ClusterRecord, clusterPaths, listClusters, readJson, stateRoot } from "./state";

async function main(): Promise<number> {
    let request;
    try {
        request = parseDockerArgs(process.argv.slice(2));
    } catch (error) {
        if (!(error instanceof StandinUsageError)) throw error;
        process.stderr.write(`docker: ${error.message}\n`);
        return 1;
    }
    const root = stateRoot();
    const name = listClusters(root).find((cluster) => `${cluster}-control-plane` === request.container);
    const paths = name === undefined ? undefined : clusterPaths(root, name);
    const record = paths && readJson<ClusterRecord>(paths.record);
    if (!paths || !record) {
        process.stderr.write(`Error response from daemon: No such container: ${request.container}\n`);
        return 1;
    }
    if (!daemonRunning(paths)) {
        process.stderr.write(`Error response from daemon: container ${request.container} is not running\n`);
        return 1;
    }
    const file = nodePathOnMachine(request.path, record.layout);
    if (!fs.existsSync(file) || fs.statSync(file).isDirectory()) {
        process.stderr.write(`cat: ${request.path}: ${fs.existsSync(file) ? "Is a directory" : "No such file or directory"}\n`);
        return 1;
    }
    await new Promise<void>((resolve, reject) => fs.createReadStream(file).on("error", reject).on("end", resolve).pipe(process.stdout, { end: false }));
    return 0;
}

main().then(
    (code) => (process.exitCode = code),
    (error: Error) => {
        process.stderr.write(`docker: ${error.message}\n`);
        process.exitCode = 1;
    },
);
