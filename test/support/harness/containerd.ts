/**
 * Debian's containerd (1.6) as the node's container runtime: its own socket and state in the run folder, its
 * image store in the cache (the locally built images are imported once and kept), CNI from Debian's
 * containernetworking-plugins on the node's bridge.
 */

import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { ManagedProcess, startProcess, waitFor } from "./processes";
import { listBuiltImages } from "../images/listing";

export const CONTAINERD_NAMESPACE = "k8s.io";
export const CNI_BIN_DIR = "/usr/lib/cni";

export interface ContainerdOptions {
    runDir: string;
    logDir: string;
    /** Image store, kept between runs. */
    rootDir: string;
    sandboxImage: string;
    /** The node's bridge, its gateway address and the Pods' subnet (host-local hands out addresses in it). */
    bridge: string;
    podSubnet: string;
    gateway: string;
}

export interface Containerd {
    process: ManagedProcess;
    address: string;
    /** Runs `ctr` against this containerd in the Kubernetes namespace. */
    ctr(args: string[]): string;
}

/** containerd's TOML config; TOML written by hand since it is a fixed shape with only paths and names in it. */
export function containerdConfig(options: ContainerdOptions, address: string, cniConfDir: string): string {
    const q = JSON.stringify;
    return [
        "version = 2",
        `root = ${q(options.rootDir)}`,
        `state = ${q(path.join(options.runDir, "containerd-state"))}`,
        // Plugins that would touch /opt or need kernel features the node does not use.
        `disabled_plugins = ["io.containerd.internal.v1.opt", "io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.zfs", "io.containerd.tracing.processor.v1.otlp"]`,
        "[grpc]",
        `  address = ${q(address)}`,
        "[ttrpc]",
        `  address = ${q(`${address}.ttrpc`)}`,
        '[plugins."io.containerd.grpc.v1.cri"]',
        `  sandbox_image = ${q(options.sandboxImage)}`,
        // These machines withhold CAP_SYS_RESOURCE: a negative oom_score_adj for the sandbox fails inside runc.
        "  restrict_oom_score_adj = true",
        '  [plugins."io.containerd.grpc.v1.cri".containerd]',
        '    snapshotter = "overlayfs"',
        '    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]',
        '      runtime_type = "io.containerd.runc.v2"',
        '      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]',
        "        SystemdCgroup = false",
        '  [plugins."io.containerd.grpc.v1.cri".cni]',
        `    bin_dir = ${q(CNI_BIN_DIR)}`,
        `    conf_dir = ${q(cniConfDir)}`,
        "",
    ].join("\n");
}

/** The Pods' network: the harness's bridge with the gateway on it, addresses from host-local; no masquerade,
 *  since nothing is to leave the machine. */
export function cniConfList(options: ContainerdOptions): object {
    return {
        cniVersion: "0.4.0",
        name: "krps-node",
        plugins: [
            {
                type: "bridge",
                bridge: options.bridge,
                isGateway: true,
                ipMasq: false,
                hairpinMode: true,
                ipam: {
                    type: "host-local",
                    dataDir: path.join(options.runDir, "cni-ipam"),
                    ranges: [[{ subnet: options.podSubnet, gateway: options.gateway }]],
                    routes: [{ dst: "0.0.0.0/0" }],
                },
            },
            { type: "portmap", capabilities: { portMappings: true } },
        ],
    };
}

/** `ctr` against the containerd listening on `address`, in the Kubernetes namespace. */
export function ctrAt(address: string): (args: string[]) => string {
    return (args) => execFileSync("ctr", ["--address", address, "--namespace", CONTAINERD_NAMESPACE, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 << 20 });
}

export async function startContainerd(options: ContainerdOptions): Promise<Containerd> {
    const address = path.join(options.runDir, "containerd.sock");
    const cniConfDir = path.join(options.runDir, "cni");
    fs.mkdirSync(cniConfDir, { recursive: true });
    fs.mkdirSync(options.rootDir, { recursive: true });
    fs.writeFileSync(path.join(cniConfDir, "10-krps-node.conflist"), JSON.stringify(cniConfList(options), null, 2));
    const configPath = path.join(options.runDir, "containerd.toml");
    fs.writeFileSync(configPath, containerdConfig(options, address, cniConfDir));
    const process = startProcess("containerd", "containerd", ["--config", configPath], options.logDir);
    const ctr = ctrAt(address);
    await waitFor("containerd", async () => fs.existsSync(address) && ctr(["version"]).includes("Server"), 30_000, process);
    return { process, address, ctr };
}

/** Imports an OCI archive unless the store already holds `ref` from the same archive (its size and time are kept beside it). */
export function importImage(containerd: Containerd, ref: string, archive: string): void {
    const listed = containerd.ctr(["images", "list", "--quiet"]).split("\n");
    const stamp = `${archive}.imported-digest`;
    const archiveStamp = `${fs.statSync(archive).size}-${fs.statSync(archive).mtimeMs}`;
    if (listed.includes(ref) && fs.existsSync(stamp) && fs.readFileSync(stamp, "utf8") === archiveStamp) return;
    containerd.ctr(["images", "import", "--snapshotter", "overlayfs", archive]);
    if (!containerd.ctr(["images", "list", "--quiet"]).split("\n").includes(ref)) {
        throw new Error(`importing ${archive} did not give the image ${ref}`);
    }
    fs.writeFileSync(stamp, archiveStamp);
}

/** Removes every container and task the node left in containerd (the kubelet stops them; this is the backstop). */
export function removeContainers(containerd: Containerd): void {
    for (const id of containerd.ctr(["tasks", "list", "--quiet"]).split("\n").filter(Boolean)) {
        try {
            containerd.ctr(["tasks", "kill", "--signal", "SIGKILL", id]);
        } catch {
            // already stopped
        }
    }
    for (const id of containerd.ctr(["containers", "list", "--quiet"]).split("\n").filter(Boolean)) {
        try {
            containerd.ctr(["tasks", "delete", "--force", id]);
        } catch {
            // no task
        }
        containerd.ctr(["containers", "delete", id]);
    }
}

/** The images' OCI archives as the images script lists them: `<ref> <archive>` lines, and `wheelhouse <dir>`. */
export function builtImages(): { images: { ref: string; archive: string }[]; wheelhouse: string } {
    const lines = listBuiltImages("node");
    const wheelhouse = lines.find(([name]) => name === "wheelhouse")?.[1];
    if (!wheelhouse) throw new Error("the node images script listed no wheelhouse");
    return { images: lines.filter(([name]) => name !== "wheelhouse").map(([ref, archive]) => ({ ref, archive })), wheelhouse };
}

