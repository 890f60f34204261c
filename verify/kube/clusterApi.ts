/** What the checks need from the cluster. The real one is client-node (kubeCluster.ts); tests pass fakes. */

import { PodLike, RayClusterLike } from "../../model/k8s/types";

export interface ExecResult {
    /** Undefined when the command did not report one (timed out, stream broken). */
    exitCode?: number;
    stdout: string;
    stderr: string;
    timedOut: boolean;
    /** Why there is no exit code, when known. */
    error?: string;
}

export interface ForwardedPort {
    /** Local port on 127.0.0.1. */
    port: number;
    /** The last error from the API server's side (upgrade refused, Pod port closed), if any. */
    failure(): string | undefined;
    close(): Promise<void>;
}

export interface ClusterApi {
    /** The RayCluster, or undefined when it does not exist. */
    getRayCluster(namespace: string, name: string): Promise<RayClusterLike | undefined>;
    /** The Pods labelled `ray.io/cluster=<name>`. */
    listRayPods(namespace: string, rayClusterName: string): Promise<PodLike[]>;
    exec(namespace: string, pod: string, container: string, command: string[], timeoutMs: number): Promise<ExecResult>;
    portForward(namespace: string, pod: string, remotePort: number): Promise<ForwardedPort>;
}
