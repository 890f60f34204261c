/** What the kind suite reads from inside a kind node: its files, and its containers' processes as the kernel sees them. */

import { execFileSync } from "child_process";
import { processStatus, ProcessStatus } from "../node/rayPods";

export type DockerEnv = { DOCKER_HOST: string; PATH: string };

export function docker(env: DockerEnv, args: string[]): string {
    return execFileSync("docker", args, { encoding: "utf8", env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"], maxBuffer: 256 * 1024 * 1024 });
}

/** A command in the node container (as `docker exec`), its stdout. */
export function inNode(env: DockerEnv, node: string, command: string[]): string {
    return docker(env, ["exec", node, ...command]);
}

/**
 * The main process of a Pod's container, read from the node's /proc through the container runtime (the
 * operator's image has no shell or `cat` to exec): uid, gid, NoNewPrivs, Seccomp mode, CapEff.
 */
export function nodeContainerStatus(env: DockerEnv, node: string, pod: string, container: string): ProcessStatus {
    const ids = inNode(env, node, ["crictl", "ps", "--quiet", "--state", "Running", "--name", `^${container}$`, "--label", `io.kubernetes.pod.name=${pod}`]).split("\n").filter(Boolean);
    if (ids.length !== 1) throw new Error(`expected one running ${container} container in Pod ${pod} on ${node}, found ${ids.length}`);
    const pid = inNode(env, node, ["crictl", "inspect", "--output", "go-template", "--template", "{{.info.pid}}", ids[0]]).trim();
    return processStatus(inNode(env, node, ["cat", `/proc/${pid}/status`]));
}
