/**
 * A real node for the control plane: the kubelet (same k8s.io/kubernetes pin) on Debian's containerd and runc,
 * CNI from Debian's containernetworking-plugins on a bridge the harness makes, kube-proxy for Service
 * addresses, CoreDNS answering `*.svc.cluster.local` from the API server, and a local wheelhouse that pip in
 * the Pods installs from (the images' pip.conf points at it: nothing leaves the machine). Everything it
 * changes on the host is recorded first and put back at stop, at exit, or by the next run (hostState.ts).
 */

import { execFileSync } from "child_process";
import * as fs from "fs";
import * as http from "http";
import * as path from "path";
import * as k8s from "@kubernetes/client-node";
import { stringify } from "yaml";
import { builtImages, Containerd, importImage, removeContainers, startContainerd } from "./containerd";
import { cgroupHierarchies, guardHost } from "./hostState";
import { ManagedProcess, startProcess, stopProcess, waitFor } from "./processes";
import { freePort } from "../ports";
import { NODE_IP, SANDBOX_IMAGE, WHEELHOUSE_PORT } from "../pinned";
import { httpGet, waitForNodeReady } from "./probes";

export const REAL_NODE_NAME = "krps-node-0";
/** The node's network; the images' pip.conf names WHEELHOUSE_URL, so these are fixed. */
export const NODE_BRIDGE = "krps0";
export const POD_SUBNET = "10.213.0.0/24";
export const CLUSTER_DOMAIN = "cluster.local";
/** The node's cgroup, below which the kubelet puts its `kubepods`. */
export const CGROUP_NAME = "krps-node";
/** Names the run that is using the host's node resources; a run killed outright is cleaned by the next one. */
const ACTIVE_RUN_FILE = "/run/krps-node.active";

export interface RealNodeHostOptions {
    runDir: string;
    /** Where containerd keeps its image store between runs. */
    containerdRoot: string;
}

export interface RealNodeOptions {
    bin: string;
    kubeconfigPath: string;
    caCertPath: string;
    kubeConfig: k8s.KubeConfig;
}

/**
 * The node's host side, made before the API server: the node's address (NODE_IP on the bridge) is where the API
 * server listens and what it advertises, so that Pods reach it through the `kubernetes` Service.
 */
export interface PreparedNode {
    /** containerd, the node's images, the kubelet, kube-proxy and CoreDNS; resolves once the node is Ready. */
    start(options: RealNodeOptions): Promise<RealNode>;
    /** Deletes the node's Pods (while the API server still runs) and stops the node's processes. */
    stop(): Promise<void>;
    /** Puts the host back; throws listing anything left. After `stop`, and after the API server is stopped. */
    release(): void;
}

export interface RealNode {
    name: string;
    /** Milliseconds since start at which each phase ended. */
    phases: Record<string, number>;
    containerd: Containerd;
}

/** The node's cgroup in every hierarchy; cpuset needs its CPUs and memory nodes before a process can join. */
function createCgroupRoot(): void {
    for (const hierarchy of cgroupHierarchies()) {
        const dir = path.join(hierarchy, CGROUP_NAME);
        fs.mkdirSync(dir, { recursive: true });
        for (const file of ["cpuset.cpus", "cpuset.mems"]) {
            if (fs.existsSync(path.join(hierarchy, file))) fs.writeFileSync(path.join(dir, file), fs.readFileSync(path.join(hierarchy, file)));
        }
    }
}

export function kubeletConfig(options: { caCertPath: string; endpoint: string; port: number; healthzPort: number; resolvConf: string }): object {
    return {
        apiVersion: "kubelet.config.k8s.io/v1beta1",
        kind: "KubeletConfiguration",
        // These machines have cgroup v1 controllers only.
        failCgroupV1: false,
        cgroupDriver: "cgroupfs",
        cgroupRoot: `/${CGROUP_NAME}`,
        containerRuntimeEndpoint: `unix://${options.endpoint}`,
        address: NODE_IP,
        port: options.port,
        readOnlyPort: 0,
        healthzBindAddress: "127.0.0.1",
        healthzPort: options.healthzPort,
        // Only the API server (a client certificate of the harness's CA) talks to the kubelet.
        authentication: { anonymous: { enabled: false }, webhook: { enabled: false }, x509: { clientCAFile: options.caCertPath } },
        authorization: { mode: "AlwaysAllow" },
        clusterDNS: [NODE_IP],
        clusterDomain: CLUSTER_DOMAIN,
        resolvConf: options.resolvConf,
        failSwapOn: false,
        // The images exist only in the local store: never garbage-collect them, never evict for a busy disk.
        imageGCHighThresholdPercent: 100,
        evictionHard: { "memory.available": "100Mi", "nodefs.available": "1%", "imagefs.available": "1%" },
        serializeImagePulls: false,
    };
}

export function kubeProxyConfig(options: { kubeconfigPath: string; healthzPort: number; metricsPort: number }): object {
    return {
        apiVersion: "kubeproxy.config.k8s.io/v1alpha1",
        kind: "KubeProxyConfiguration",
        clientConnection: { kubeconfig: options.kubeconfigPath },
        hostnameOverride: REAL_NODE_NAME,
        bindAddress: NODE_IP,
        clusterCIDR: POD_SUBNET,
        mode: "iptables",
        // Masquerading every Service connection lets a Pod reach a Service backed by a Pod on the same bridge
        // without br_netfilter; no localhost NodePorts, so route_localnet stays as it is.
        iptables: { masqueradeAll: true, localhostNodePorts: false, minSyncPeriod: "0s" },
        // Zero leaves the host's conntrack settings alone.
        conntrack: { maxPerCore: 0, min: 0, tcpEstablishedTimeout: "0s", tcpCloseWaitTimeout: "0s" },
        nodePortAddresses: [`${NODE_IP}/32`],
        healthzBindAddress: `127.0.0.1:${options.healthzPort}`,
        metricsBindAddress: `127.0.0.1:${options.metricsPort}`,
    };
}

export function corefile(options: { kubeconfigPath: string; healthPort: number; readyPort: number }): string {
    // Only the cluster's own names: anything else is refused, so no query leaves the machine.
    return `.:53 {
    bind ${NODE_IP}
    errors
    health 127.0.0.1:${options.healthPort}
    ready 127.0.0.1:${options.readyPort}
    kubernetes ${CLUSTER_DOMAIN} in-addr.arpa ip6.arpa {
        kubeconfig ${options.kubeconfigPath}
        pods insecure
    }
}
`;
}

/** Forwarded traffic from the Pods' subnet goes to the Pods' subnet (Services are translated to it before) or nowhere. */
export function podEgressRules(): string {
    return `table ip krps_node_egress {
    chain forward {
        type filter hook forward priority 0; policy accept;
        ip saddr ${POD_SUBNET} ip daddr != ${POD_SUBNET} drop
    }
}
`;
}

/** A flat page linking every wheel (what pip's find-links reads), and the wheels. */
export function serveWheelhouse(dir: string): Promise<http.Server> {
    const wheels = fs.readdirSync(dir).filter((name) => /\.(whl|tar\.gz|zip)$/.test(name));
    const page = `<!DOCTYPE html><html><body>\n${wheels.map((name) => `<a href="${encodeURIComponent(name)}">${name}</a><br>`).join("\n")}\n</body></html>\n`;
    const server = http.createServer((request, response) => {
        const name = decodeURIComponent((request.url ?? "/").split("?")[0].slice(1));
        if (name === "") {
            response.writeHead(200, { "content-type": "text/html" }).end(page);
        } else if (wheels.includes(name)) {
            response.writeHead(200, { "content-type": "application/octet-stream", "content-length": fs.statSync(path.join(dir, name)).size });
            fs.createReadStream(path.join(dir, name)).pipe(response);
        } else {
            response.writeHead(404).end();
        }
    });
    return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(WHEELHOUSE_PORT, NODE_IP, () => resolve(server));
    });
}

export async function prepareRealNode(options: RealNodeHostOptions): Promise<PreparedNode> {
    const started = Date.now();
    const phases: Record<string, number> = {};
    const phase = (name: string) => (phases[name] = Date.now() - started);
    const { runDir } = options;
    const logs = path.join(runDir, "logs");
    fs.mkdirSync(logs, { recursive: true });
    const { images, wheelhouse } = builtImages();

    const host = guardHost({ activeFile: ACTIVE_RUN_FILE, runDir, cgroupName: CGROUP_NAME, mountPrefixes: [runDir, options.containerdRoot], bridge: NODE_BRIDGE, what: "node" });

    const processes: ManagedProcess[] = [];
    let wheelServer: http.Server | undefined;
    let containerd: Containerd | undefined;
    let core: k8s.CoreV1Api | undefined;
    let released = false;

    const stop = async () => {
        // The kubelet stops the Pods' containers and sandboxes (CNI DEL) once they are deleted.
        if (core && containerd && processes.some((p) => p.name === "kubelet" && p.child.exitCode === null)) {
            const pods = await core.listPodForAllNamespaces({ fieldSelector: `spec.nodeName=${REAL_NODE_NAME}` }).catch(() => undefined);
            await Promise.all((pods?.items ?? []).map((pod) => core!.deleteNamespacedPod({ name: pod.metadata!.name!, namespace: pod.metadata!.namespace!, gracePeriodSeconds: 0 }).catch(() => undefined)));
            const ctr = containerd.ctr;
            await waitFor("the node's containers to stop", async () => ctr(["tasks", "list"]).split("\n").filter((line) => / RUNNING$/.test(line.trim())).length === 0, 60_000).catch(() => undefined);
        }
        for (const managed of [...processes].reverse().filter((p) => p.name !== "containerd")) await stopProcess(managed);
        if (containerd) {
            try {
                removeContainers(containerd);
            } catch {
                // restoreHost kills what is left
            }
            await stopProcess(containerd.process);
        }
        await new Promise<void>((resolve) => (wheelServer ? wheelServer.close(() => resolve()) : resolve()));
    };
    const release = () => {
        if (released) return;
        released = true;
        host.release("the node");
    };

    const start = async ({ bin, kubeconfigPath, caCertPath, kubeConfig }: RealNodeOptions): Promise<RealNode> => {
        core = kubeConfig.makeApiClient(k8s.CoreV1Api);
        containerd = await startContainerd({
            runDir,
            logDir: logs,
            rootDir: options.containerdRoot,
            sandboxImage: SANDBOX_IMAGE,
            bridge: NODE_BRIDGE,
            podSubnet: POD_SUBNET,
            gateway: NODE_IP,
        });
        processes.push(containerd.process);
        phase("containerd ready");
        for (const image of images) importImage(containerd, image.ref, image.archive);
        phase("images imported");

        const resolvConf = path.join(runDir, "resolv.conf");
        fs.writeFileSync(resolvConf, "");
        const kubeletConfigPath = path.join(runDir, "kubelet.yaml");
        fs.writeFileSync(kubeletConfigPath, stringify(kubeletConfig({ caCertPath, endpoint: containerd.address, port: await freePort(), healthzPort: await freePort(), resolvConf })));
        const kubelet = startProcess("kubelet", path.join(bin, "kubelet"), [
            `--config=${kubeletConfigPath}`,
            `--kubeconfig=${kubeconfigPath}`,
            `--root-dir=${path.join(runDir, "kubelet")}`,
            `--cert-dir=${path.join(runDir, "kubelet-pki")}`,
            `--node-ip=${NODE_IP}`,
            `--hostname-override=${REAL_NODE_NAME}`,
            "--v=1",
        ], logs);
        processes.push(kubelet);

        const kubeProxyConfigPath = path.join(runDir, "kube-proxy.yaml");
        fs.writeFileSync(kubeProxyConfigPath, stringify(kubeProxyConfig({ kubeconfigPath, healthzPort: await freePort(), metricsPort: await freePort() })));
        processes.push(startProcess("kube-proxy", path.join(bin, "kube-proxy"), [`--config=${kubeProxyConfigPath}`], logs));

        const [healthPort, readyPort] = [await freePort(), await freePort()];
        const corefilePath = path.join(runDir, "Corefile");
        fs.writeFileSync(corefilePath, corefile({ kubeconfigPath, healthPort, readyPort }));
        const coredns = startProcess("coredns", path.join(bin, "coredns"), ["-conf", corefilePath], logs);
        processes.push(coredns);

        await waitForNodeReady(core, REAL_NODE_NAME, 120_000, kubelet);
        phase("kubelet: node Ready");
        await waitFor("CoreDNS ready", async () => (await httpGet(`http://127.0.0.1:${readyPort}/ready`)).includes("OK"), 60_000, coredns);
        phase("CoreDNS ready");
        return { name: REAL_NODE_NAME, phases, containerd };
    };

    try {
        createCgroupRoot();
        execFileSync("ip", ["link", "add", NODE_BRIDGE, "type", "bridge"]);
        execFileSync("ip", ["addr", "add", `${NODE_IP}/24`, "dev", NODE_BRIDGE]);
        execFileSync("ip", ["link", "set", NODE_BRIDGE, "up"]);
        // Service traffic between Pods goes through the host (kube-proxy's DNAT): it must forward, but only
        // between the Pods; nothing a Pod sends is forwarded anywhere else.
        fs.writeFileSync("/proc/sys/net/ipv4/ip_forward", "1");
        execFileSync("nft", ["-f", "-"], { input: podEgressRules() });
        wheelServer = await serveWheelhouse(wheelhouse);
        phase("host network");
    } catch (error) {
        // The first error is the one to see; what the cleanup found is added to it.
        await stop().catch((stopError) => ((error as Error).message += `\n${(stopError as Error).message}`));
        try {
            release();
        } catch (releaseError) {
            (error as Error).message += `\n${(releaseError as Error).message}`;
        }
        throw error;
    }
    return { start, stop, release };
}
