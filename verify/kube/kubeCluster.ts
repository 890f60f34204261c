/** ClusterApi over @kubernetes/client-node: the RayCluster, its Pods, exec and port-forward. */

import * as fs from "fs";
import { Writable } from "stream";
import * as k8s from "@kubernetes/client-node";
import { errorLine, UsageError } from "../../lib/cli/errors";
import { ClusterApi, ExecResult, ForwardedPort } from "./clusterApi";
import { ExecStatus, exitCodeOf } from "./execStatus";
import { forwardLocalPort } from "./localPortForward";
import { PodLike, RayClusterLike } from "../../model/k8s/types";

/** client-node's web socket factory interface (not exported by name). */
export type WebSocketInterface = NonNullable<ConstructorParameters<typeof k8s.Exec>[1]>;

/**
 * The stack's kubeconfig (or the ambient one when the stack has none) at the stack's context. The file it
 * came from, when it still exists, is preferred: paths inside a kubeconfig are relative to its file.
 */
export function loadKubeConfig(kubeconfig: string | undefined, context: string | undefined, kubeconfigPath?: string): k8s.KubeConfig {
    const config = new k8s.KubeConfig();
    if (kubeconfigPath && fs.existsSync(kubeconfigPath)) config.loadFromFile(kubeconfigPath);
    else if (kubeconfig) config.loadFromString(kubeconfig);
    else config.loadFromDefault();
    if (context) {
        if (!config.getContextObject(context)) throw new UsageError(`the kubeconfig has no context ${JSON.stringify(context)}`);
        config.setCurrentContext(context);
    }
    return config;
}

/** Keeps the last `limit` characters written: enough for a verdict, bounded whatever the command prints. */
class OutputTail extends Writable {
    text = "";
    constructor(private readonly limit = 64 * 1024) {
        super();
    }
    override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
        this.text = (this.text + chunk.toString("utf8")).slice(-this.limit);
        done();
    }
}

export class KubeCluster implements ClusterApi {
    private readonly custom: k8s.CustomObjectsApi;
    private readonly core: k8s.CoreV1Api;

    constructor(
        private readonly config: k8s.KubeConfig,
        /** Web sockets for exec and port-forward; client-node's own unless a test brings one. */
        private readonly webSockets?: WebSocketInterface,
    ) {
        this.custom = config.makeApiClient(k8s.CustomObjectsApi);
        this.core = config.makeApiClient(k8s.CoreV1Api);
    }

    async getRayCluster(namespace: string, name: string): Promise<RayClusterLike | undefined> {
        try {
            return (await this.custom.getNamespacedCustomObject({ group: "ray.io", version: "v1", namespace, plural: "rayclusters", name })) as RayClusterLike;
        } catch (error) {
            if ((error as { code?: unknown }).code === 404) return undefined;
            throw error;
        }
    }

    async listRayPods(namespace: string, rayClusterName: string): Promise<PodLike[]> {
        const list = await this.core.listNamespacedPod({ namespace, labelSelector: `ray.io/cluster=${rayClusterName}` });
        return list.items as PodLike[];
    }

    async exec(namespace: string, pod: string, container: string, command: string[], timeoutMs: number): Promise<ExecResult> {
        const stdout = new OutputTail();
        const stderr = new OutputTail();
        let status: ExecStatus | undefined;
        return new Promise<ExecResult>((resolve) => {
            let socket: { close(): void } | undefined;
            let settled = false;
            const finish = (result: Omit<ExecResult, "stdout" | "stderr">) => {
                if (settled) return;
                settled = true;
                clearTimeout(timer);
                resolve({ ...result, stdout: stdout.text, stderr: stderr.text });
            };
            const timer = setTimeout(() => {
                finish({ timedOut: true });
                socket?.close();
            }, timeoutMs);
            new k8s.Exec(this.config, this.webSockets)
                .exec(namespace, pod, container, command, stdout, stderr, null, false, (s) => (status = s as ExecStatus))
                .then((ws) => {
                    // Timed out before the connection opened: close it now, nobody is listening.
                    if (settled) {
                        ws.close();
                        return;
                    }
                    socket = ws;
                    ws.on("close", () =>
                        finish(
                            status
                                ? { exitCode: exitCodeOf(status), timedOut: false, error: status.message }
                                : { timedOut: false, error: "the exec stream closed without an exit status" },
                        ),
                    );
                })
                .catch((error) => finish({ timedOut: false, error: errorLine(error) }));
        });
    }

    portForward(namespace: string, pod: string, remotePort: number): Promise<ForwardedPort> {
        return forwardLocalPort(new k8s.PortForward(this.config, true, this.webSockets), namespace, pod, remotePort);
    }
}
