/**
 * What a kind config means for the stand-in's one node, worked out as kind, kubeadm and the kubelet would:
 *
 * - the API server's `audit-policy-file` and `audit-log-path` come from the control-plane node's
 *   `kubeadmConfigPatches` (ClusterConfiguration `apiServer.extraArgs`, after the Cluster-wide patches);
 * - those are paths inside the API server's static Pod, which sees the node only through
 *   `apiServer.extraVolumes` (mountPath → hostPath on the node) and kubeadm's own certificate mounts;
 * - the node is a container, which sees the machine only through `extraMounts` (containerPath → hostPath).
 *
 * So the policy must reach the machine through a volume and a mount (else the API server cannot read it and
 * would not start); the log is written in the node's own filesystem, which the stand-in keeps in a folder
 * (`nodeRoot`), unless a mount puts it on the machine. Pure: no file is read here.
 */

import * as path from "path";
import { parse, parseAllDocuments } from "yaml";

export class KindConfigError extends Error {}

export interface Mount {
    /** Path inside (the Pod, or the node). */
    inside: string;
    /** Path one level out (the node, or the machine). */
    outside: string;
}

export interface NodeLayout {
    /** The node's `extraMounts`: node path → machine path. */
    nodeMounts: Mount[];
    /** Folder on the machine holding the node's own filesystem. */
    nodeRoot: string;
}

export interface ApiServerAudit {
    /** In-Pod paths, as the flags name them. */
    policyFlag: string;
    logFlag: string;
    /** The same files on the machine running the stand-in. */
    policyFile: string;
    logFile: string;
}

export interface NodePlan {
    audit: ApiServerAudit;
    layout: NodeLayout;
}

/** The hostPath volumes kubeadm gives the API server's static Pod whatever the config says. */
const KUBEADM_API_SERVER_VOLUMES = ["/etc/kubernetes/pki", "/etc/ssl/certs", "/etc/ca-certificates", "/usr/share/ca-certificates", "/usr/local/share/ca-certificates"];

/** The kubeadm API version of the stand-in's node (its API server is Kubernetes 1.37). */
const NODE_KUBEADM_API_VERSION = "kubeadm.k8s.io/v1beta4";

/**
 * Reads a kind config (YAML text) and maps the API server's audit files onto the machine. A relative
 * `extraMounts` hostPath is relative to `cwd`, where kind runs (kind makes it absolute the same way).
 */
export function planNode(configText: string, nodeRoot: string, cwd: string): NodePlan {
    let config: any;
    try {
        config = parse(configText);
    } catch (error) {
        throw new KindConfigError(`the config is not valid YAML: ${(error as Error).message}`);
    }
    if (config?.kind !== "Cluster" || config?.apiVersion !== "kind.x-k8s.io/v1alpha4") {
        throw new KindConfigError(`the config must be a kind.x-k8s.io/v1alpha4 Cluster (got kind ${JSON.stringify(config?.kind)}, apiVersion ${JSON.stringify(config?.apiVersion)})`);
    }
    if (config.kubeadmConfigPatchesJSON6902 !== undefined) throw new KindConfigError("kubeadmConfigPatchesJSON6902 is not supported by the kind stand-in");
    const nodes: any[] = config.nodes ?? [{ role: "control-plane" }];
    if (nodes.length !== 1 || nodes[0]?.role !== "control-plane") {
        throw new KindConfigError(`the kind stand-in runs exactly one control-plane node (the config has ${JSON.stringify(nodes.map((n) => n?.role))})`);
    }
    const node = nodes[0];
    if (node.kubeadmConfigPatchesJSON6902 !== undefined) throw new KindConfigError("kubeadmConfigPatchesJSON6902 is not supported by the kind stand-in");
    const layout: NodeLayout = {
        nodeMounts: (node.extraMounts ?? []).map((mount: any, i: number) => {
            if (typeof mount?.hostPath !== "string" || typeof mount?.containerPath !== "string") {
                throw new KindConfigError(`nodes[0].extraMounts[${i}] needs hostPath and containerPath`);
            }
            return { inside: mount.containerPath, outside: path.resolve(cwd, mount.hostPath) };
        }),
        nodeRoot,
    };
    const apiServer = mergedApiServer([...(config.kubeadmConfigPatches ?? []), ...(node.kubeadmConfigPatches ?? [])]);
    const policyFlag = apiServer.extraArgs["audit-policy-file"];
    const logFlag = apiServer.extraArgs["audit-log-path"];
    if (policyFlag === undefined || logFlag === undefined) {
        throw new KindConfigError(
            "the control plane's kubeadmConfigPatches set no apiServer.extraArgs audit-policy-file and audit-log-path " +
                `(found ${JSON.stringify(apiServer.extraArgs)}): the stand-in starts the KubeRay operator for the namespaces the audit policy names`,
        );
    }
    const podVolumes: Mount[] = [...KUBEADM_API_SERVER_VOLUMES.map((dir) => ({ inside: dir, outside: dir })), ...apiServer.extraVolumes];
    const policyInNode = throughMounts(policyFlag, podVolumes);
    const logInNode = throughMounts(logFlag, podVolumes);
    if (policyInNode === undefined) {
        throw new KindConfigError(`audit-policy-file ${policyFlag} is not in any apiServer.extraVolumes mountPath: the API server's Pod cannot read it`);
    }
    if (logInNode === undefined) {
        throw new KindConfigError(`audit-log-path ${logFlag} is not in any apiServer.extraVolumes mountPath: the API server's Pod cannot write it`);
    }
    const policyFile = throughMounts(policyInNode, layout.nodeMounts);
    if (policyFile === undefined) {
        throw new KindConfigError(`audit-policy-file ${policyFlag} (node path ${policyInNode}) is not in any extraMounts containerPath: the node has no such file, and the API server would not start`);
    }
    return { audit: { policyFlag, logFlag, policyFile, logFile: nodePathOnMachine(logInNode, layout) }, layout };
}

/** Where a path of the node is on the machine: through an extraMount, else in the node's own filesystem. */
export function nodePathOnMachine(nodePath: string, layout: NodeLayout): string {
    if (!path.posix.isAbsolute(nodePath)) throw new KindConfigError(`${nodePath} is not an absolute path`);
    return throughMounts(nodePath, layout.nodeMounts) ?? path.join(layout.nodeRoot, path.posix.normalize(nodePath));
}

/** `inside` through the mount that covers it most closely (a file mount covers only itself), or undefined. */
export function throughMounts(inside: string, mounts: Mount[]): string | undefined {
    const target = clean(inside);
    let best: { at: string; outside: string } | undefined;
    for (const mount of mounts) {
        const at = clean(mount.inside);
        const covers = target === at || target.startsWith(at === "/" ? "/" : `${at}/`);
        if (covers && (best === undefined || at.length > best.at.length)) best = { at, outside: mount.outside };
    }
    return best && path.join(best.outside, path.posix.relative(best.at, target));
}

/** Normalised, without a trailing slash (`/a/b/` and `/a/b` are the same mount point). */
function clean(p: string): string {
    return path.posix.normalize(p).replace(/(.)\/+$/, "$1");
}

interface ApiServerSettings {
    extraArgs: Record<string, string>;
    extraVolumes: Mount[];
}

/**
 * The ClusterConfiguration patches that apply to the node, merged in order (maps merged, lists replaced). A
 * patch with an apiVersion applies only to that kubeadm version, as in kind; without one, to any.
 */
function mergedApiServer(patches: unknown[]): ApiServerSettings {
    const merged: ApiServerSettings = { extraArgs: {}, extraVolumes: [] };
    patches.forEach((patch, i) => {
        if (typeof patch !== "string") throw new KindConfigError(`kubeadmConfigPatches[${i}] must be a YAML string`);
        for (const document of parseAllDocuments(patch)) {
            if (document.errors.length > 0) throw new KindConfigError(`kubeadmConfigPatches[${i}] is not valid YAML: ${document.errors[0].message}`);
            const object = document.toJS() as any;
            if (object?.kind !== "ClusterConfiguration") continue;
            if (object.apiVersion !== undefined && object.apiVersion !== NODE_KUBEADM_API_VERSION) continue;
            const apiServer = object.apiServer ?? {};
            Object.assign(merged.extraArgs, extraArgs(apiServer.extraArgs, i));
            if (apiServer.extraVolumes !== undefined) {
                merged.extraVolumes = (apiServer.extraVolumes as any[]).map((volume, j) => {
                    if (typeof volume?.hostPath !== "string" || typeof volume?.mountPath !== "string") {
                        throw new KindConfigError(`kubeadmConfigPatches[${i}] apiServer.extraVolumes[${j}] needs hostPath and mountPath`);
                    }
                    return { inside: volume.mountPath, outside: volume.hostPath };
                });
            }
        }
    });
    return merged;
}

/** v1beta3's map, or v1beta4's list of {name, value}. */
function extraArgs(value: unknown, i: number): Record<string, string> {
    if (value === undefined || value === null) return {};
    if (Array.isArray(value)) {
        return Object.fromEntries(value.map((arg) => [String(arg?.name), String(arg?.value)]));
    }
    if (typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)]));
    throw new KindConfigError(`kubeadmConfigPatches[${i}] apiServer.extraArgs must be a map or a list`);
}

/** The namespaces an audit policy's rules name (the stand-in's operator watches them). */
export function policyNamespaces(policyText: string): string[] {
    const policy = parse(policyText) as { kind?: string; rules?: Array<{ namespaces?: string[] }> } | null;
    if (policy?.kind !== "Policy") throw new KindConfigError("the audit policy file is not an audit.k8s.io Policy");
    const namespaces = [...new Set((policy.rules ?? []).flatMap((rule) => rule.namespaces ?? []))];
    if (namespaces.length === 0) throw new KindConfigError("the audit policy names no namespace: the stand-in would not know where the KubeRay operator should watch");
    return namespaces;
}
