/**
 * A Docker engine of the suite's own: Debian's dockerd, containerd and runc from the tool cache
 * (test/support/docker/engine.sh), with its own data root, exec root and socket (`DOCKER_HOST`), and the runc
 * wrapper as its default runtime (a test-environment adaptation: this machine withholds CAP_SYS_RESOURCE, which
 * `--privileged` asks for). It touches no netfilter rule of the host (`iptables: false`) and forwards nothing
 * off the machine; the `kind` network is made here on a bridge of a known name, which also carries the
 * wheelhouse address the Ray image's pip.conf names. Everything it changes on the host is recorded first and
 * put back at stop, at exit, or by the next run (the node suite's hostState).
 */

import { execFileSync } from "child_process";
import * as fs from "fs";
import * as http from "http";
import * as path from "path";
import { cgroupHierarchies, guardHost } from "../harness/hostState";
import { ManagedProcess, startProcess, stopProcess, waitFor } from "../harness/processes";
import { serveWheelhouse } from "../harness/realNode";
import { projectPath } from "../paths";
import { NODE_IP as WHEELHOUSE_IP } from "../pinned";

/** The network kind puts its nodes on (kind uses an existing network of this name as it is). */
export const KIND_NETWORK = "kind";
export const KIND_BRIDGE = "krpskind0";
export const KIND_SUBNET = "10.214.0.0/24";
export const KIND_GATEWAY = "10.214.0.1";
/** Containers' cgroups go below this one (cgroup-parent), so that whatever is left can be found and removed. */
export const DOCKER_CGROUP = "krps-docker";
const ACTIVE_RUN_FILE = "/run/krps-docker.active";

export interface DockerEngine {
    /** Environment for docker, kind and anything that runs them: DOCKER_HOST and the engine's programs on PATH. */
    env: { DOCKER_HOST: string; PATH: string };
    runDir: string;
    /** Stops every container and the engine, puts the host back; throws listing anything left. */
    stop(): Promise<void>;
}

export function engineDir(): string {
    return execFileSync("bash", [projectPath("test", "support", "docker", "engine.sh"), "--dir"], { encoding: "utf8" }).trim();
}

/** Forwarded traffic from the kind network stays on it: nothing a node or Pod sends is routed off the machine. */
export function kindEgressRules(): string {
    return `table ip krps_kind_egress {
    chain forward {
        type filter hook forward priority 0; policy accept;
        iifname "${KIND_BRIDGE}" oifname != "${KIND_BRIDGE}" drop
    }
}
`;
}

/**
 * dockerd's proxy: a closed loopback port. A pull of an image that is not there (a mistyped node image) then
 * fails at once on loopback, with no name lookup and no packet off the machine.
 */
export const NO_REGISTRY = { HTTP_PROXY: "http://127.0.0.1:9", HTTPS_PROXY: "http://127.0.0.1:9", NO_PROXY: "" };

export function daemonConfig(engine: string): object {
    return {
        runtimes: { "krps-runc": { path: path.join(engine, "bin", "krps-runc-wrapper") } },
        "default-runtime": "krps-runc",
        // No host netfilter rules, no forwarding, no NAT, no docker0: published ports go through docker-proxy.
        iptables: false,
        ip6tables: false,
        "ip-forward": false,
        "ip-masq": false,
        bridge: "none",
        // Absolute: relative to each hierarchy's root, not to dockerd's own cgroup.
        "cgroup-parent": `/${DOCKER_CGROUP}`,
        "userland-proxy-path": path.join(engine, "bin", "docker-proxy"),
        "init-path": path.join(engine, "bin", "docker-init"),
        "storage-driver": "overlay2",
        "log-level": "warn",
    };
}

export async function startDockerEngine(options: { runDir: string; wheelhouse?: string }): Promise<DockerEngine> {
    const { runDir } = options;
    const engine = engineDir();
    const logs = path.join(runDir, "logs");
    fs.mkdirSync(logs, { recursive: true });
    const host = guardHost({ activeFile: ACTIVE_RUN_FILE, runDir, cgroupName: DOCKER_CGROUP, mountPrefixes: [runDir], bridge: KIND_BRIDGE, what: "Docker engine" });

    const socket = path.join(runDir, "docker.sock");
    const env = { DOCKER_HOST: `unix://${socket}`, PATH: `${path.join(engine, "bin")}:${process.env.PATH}` };
    const configFile = path.join(runDir, "daemon.json");
    fs.writeFileSync(configFile, JSON.stringify(daemonConfig(engine), null, 2));
    let dockerd: ManagedProcess | undefined;
    let wheelServer: http.Server | undefined;
    const docker = (args: string[]) => execFileSync("docker", args, { encoding: "utf8", env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });

    const stop = async () => {
        if (dockerd && dockerd.child.exitCode === null) {
            try {
                const ids = docker(["ps", "-aq"]).split("\n").filter(Boolean);
                if (ids.length > 0) docker(["rm", "-f", "-v", ...ids]);
            } catch {
                // restoreHost kills what is left
            }
            await stopProcess(dockerd, 20_000);
        }
        await new Promise<void>((resolve) => (wheelServer ? wheelServer.close(() => resolve()) : resolve()));
        host.release("the Docker engine");
    };

    try {
        // The containers' cgroup parent, in every hierarchy the guard removes at stop (dockerd would also make it
        // on first use). The data root, with the large node image and the nodes' /var volumes, is in the run folder.
        for (const hierarchy of cgroupHierarchies()) fs.mkdirSync(path.join(hierarchy, DOCKER_CGROUP), { recursive: true });
        dockerd = startProcess("dockerd", path.join(engine, "bin", "dockerd"), [
            "--config-file", configFile,
            "--data-root", path.join(runDir, "data"),
            "--exec-root", path.join(runDir, "exec"),
            "--pidfile", path.join(runDir, "docker.pid"),
            "-H", env.DOCKER_HOST,
        ], logs, { ...env, ...NO_REGISTRY });
        await waitFor("dockerd answering", async () => docker(["version", "--format", "{{.Server.Version}}"]).trim().length > 0, 60_000, dockerd);
        docker([
            "network", "create", "--driver", "bridge", "--subnet", KIND_SUBNET, "--gateway", KIND_GATEWAY,
            "-o", `com.docker.network.bridge.name=${KIND_BRIDGE}`, "-o", "com.docker.network.bridge.enable_ip_masquerade=false",
            KIND_NETWORK,
        ]);
        execFileSync("nft", ["-f", "-"], { input: kindEgressRules() });
        if (options.wheelhouse) {
            // The Ray image's pip.conf names this address: the host answers it on the kind bridge.
            execFileSync("ip", ["addr", "add", `${WHEELHOUSE_IP}/32`, "dev", KIND_BRIDGE]);
            wheelServer = await serveWheelhouse(options.wheelhouse);
        }
        return { env, runDir, stop };
    } catch (error) {
        await stop().catch((stopError) => {
            (error as Error).message += `\n${(stopError as Error).message}`;
        });
        throw error;
    }
}
