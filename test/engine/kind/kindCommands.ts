/**
 * The four kind commands the program's scripts run, with kind's output conventions: data on stdout
 * (cluster names, the kubeconfig), progress and "No kind clusters found." on stderr, failures as
 * `ERROR: …` with exit status 1 (kindMain.ts prints them).
 */

import * as fs from "fs";
import * as path from "path";
import { KindCommand } from "./args";
import { daemonRunning, spawnDaemon, stopDaemon, waitReady } from "./daemonControl";
import { planNode, policyNamespaces } from "./nodeConfig";
import { ClusterRecord, clusterPaths, listClusters, logEvent, readJson, writeFileAtomic } from "./state";

/** A failure kind would report; the message is printed after `ERROR: `. */
export class KindError extends Error {}

export interface Io {
    stdout(text: string): void;
    stderr(text: string): void;
}

/** kind v0.33's default node image, when `--image` is not given. */
export const DEFAULT_NODE_IMAGE = "kindest/node:v1.37.0";
/** How long `create cluster` waits for the control plane when `--wait` is 0 or not given. */
const DEFAULT_READY_TIMEOUT_MS = 5 * 60_000;

export async function runKind(root: string, command: KindCommand, io: Io, cwd = process.cwd()): Promise<void> {
    switch (command.command) {
        case "get clusters":
            return getClusters(root, io);
        case "get kubeconfig":
            return getKubeconfig(root, command.name, io);
        case "create cluster":
            return createCluster(root, command, io, cwd);
        case "delete cluster":
            return deleteCluster(root, command.name, io);
    }
}

function getClusters(root: string, io: Io): void {
    const names = listClusters(root);
    if (names.length === 0) io.stderr("No kind clusters found.\n");
    else io.stdout(names.map((name) => `${name}\n`).join(""));
}

function getKubeconfig(root: string, name: string, io: Io): void {
    const paths = clusterPaths(root, name);
    if (!fs.existsSync(paths.dir)) {
        throw new KindError(`could not locate any control plane nodes for cluster named '${name}'. Use the --name option to select a different cluster`);
    }
    if (!daemonRunning(paths) || !fs.existsSync(paths.kubeconfig)) {
        throw new KindError(`failed to get cluster internal kubeconfig: the control plane of cluster "${name}" is not running (stand-in: see ${paths.daemonLog})`);
    }
    io.stdout(fs.readFileSync(paths.kubeconfig, "utf8"));
}

async function createCluster(root: string, command: Extract<KindCommand, { command: "create cluster" }>, io: Io, cwd: string): Promise<void> {
    const { name } = command;
    const image = command.image ?? DEFAULT_NODE_IMAGE;
    const paths = clusterPaths(root, name);
    const fail = (why: string) => new KindError(`failed to create cluster: ${why}`);
    if (fs.existsSync(paths.dir)) throw fail(`node(s) already exist for a cluster with the name "${name}"`);
    if (command.config === undefined) throw fail("the kind stand-in needs --config: the API server's audit policy comes from the config's kubeadmConfigPatches");
    const configFile = path.resolve(cwd, command.config);
    let configText: string;
    try {
        configText = fs.readFileSync(configFile, "utf8");
    } catch (error) {
        throw fail(`error reading file: ${(error as Error).message}`);
    }

    let record: ClusterRecord;
    try {
        const plan = planNode(configText, paths.nodeRoot, cwd);
        let policyText: string;
        try {
            policyText = fs.readFileSync(plan.audit.policyFile, "utf8");
        } catch (error) {
            throw new Error(`the audit policy ${plan.audit.policyFlag} is mounted from ${plan.audit.policyFile}, which cannot be read: ${(error as Error).message}`);
        }
        record = { name, image, configFile, createdAt: new Date().toISOString(), audit: plan.audit, layout: plan.layout, namespaces: policyNamespaces(policyText) };
    } catch (error) {
        throw fail(`${configFile}: ${(error as Error).message}`);
    }

    io.stderr(`Creating cluster "${name}" ...\n`);
    try {
        fs.mkdirSync(paths.dir);
    } catch {
        throw fail(`node(s) already exist for a cluster with the name "${name}"`);
    }
    fs.mkdirSync(paths.nodeRoot);
    writeFileAtomic(paths.record, `${JSON.stringify(record, null, 2)}\n`);
    logEvent(root, `create ${name} image=${image} config=${configFile}`);
    io.stderr(` ✓ Ensuring node image (${image}) — stand-in: recorded only\n`);
    io.stderr(` ✓ Preparing nodes — audit policy ${record.audit.policyFlag} from ${record.audit.policyFile}, audit log ${record.audit.logFlag} at ${record.audit.logFile}\n`);

    const daemon = spawnDaemon(paths);
    logEvent(root, `daemon ${name} pid=${daemon.pid}`);
    const timeoutMs = command.waitMs ? command.waitMs : DEFAULT_READY_TIMEOUT_MS;
    const outcome = await waitReady(paths, timeoutMs);
    if (!outcome.ready) {
        await stopDaemon(paths);
        const log = fs.existsSync(paths.daemonLog) ? fs.readFileSync(paths.daemonLog, "utf8").split("\n").slice(-40).join("\n") : "";
        fs.rmSync(paths.dir, { recursive: true, force: true });
        logEvent(root, `create ${name} failed: ${outcome.why.split("\n")[0]}`);
        throw fail(`${outcome.why}\n--- stand-in daemon log (tail) ---\n${log}`);
    }
    io.stderr(` ✓ Starting control-plane — stand-in: harness control plane, daemon pid ${daemon.pid}\n`);
    io.stderr(` • Ready after ${(outcome.ms / 1000).toFixed(0)}s\n`);
    // kind would also merge the kubeconfig into $KUBECONFIG or ~/.kube/config; the stand-in never touches
    // the user's files: `kind get kubeconfig --name ${name}` prints it.
    io.stderr(`Context "kind-${name}" is available through \`kind get kubeconfig --name ${name}\` (stand-in: ~/.kube/config is not changed)\n`);
}

async function deleteCluster(root: string, name: string, io: Io): Promise<void> {
    const paths = clusterPaths(root, name);
    io.stderr(`Deleting cluster "${name}" ...\n`);
    if (!fs.existsSync(paths.dir)) return;
    const daemon = readJson<{ pid: number }>(paths.daemon);
    logEvent(root, `delete ${name}: stopping daemon pid=${daemon?.pid ?? "none"}`);
    await stopDaemon(paths);
    fs.rmSync(paths.dir, { recursive: true, force: true });
    logEvent(root, `deleted ${name} pid=${daemon?.pid ?? "none"}`);
    io.stderr(`Deleted nodes: ["${name}-control-plane"]\n`);
}
