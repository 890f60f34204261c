/** The parts of a ray.io/v1 RayCluster that say whether it is usable. */

export interface Condition {
    type: string;
    status: string;
    reason?: string;
    message?: string;
}

export interface WorkerGroupSpec {
    groupName?: string;
    replicas?: number;
    minReplicas?: number;
    maxReplicas?: number;
    numOfHosts?: number;
    suspend?: boolean;
}

export interface RayClusterObject {
    metadata?: { name?: string; namespace?: string };
    spec?: { suspend?: boolean; workerGroupSpecs?: WorkerGroupSpec[] };
    status?: {
        state?: string;
        reason?: string;
        conditions?: Condition[];
        desiredWorkerReplicas?: number;
        readyWorkerReplicas?: number;
        head?: { podName?: string; serviceName?: string };
    };
}

export function condition(rayCluster: RayClusterObject | undefined, type: string): Condition | undefined {
    return rayCluster?.status?.conditions?.find((c) => c.type === type);
}

export function isTrue(rayCluster: RayClusterObject | undefined, type: string): boolean {
    return condition(rayCluster, type)?.status === "True";
}

/**
 * Workers the operator should run: its own count, or KubeRay's rule over the spec before it reports one;
 * undefined when the RayCluster could not be read.
 */
export function expectedWorkers(rayCluster: RayClusterObject | undefined): number | undefined {
    if (rayCluster === undefined) return undefined;
    const desired = rayCluster?.status?.desiredWorkerReplicas;
    if (typeof desired === "number") return desired;
    return (rayCluster?.spec?.workerGroupSpecs ?? []).reduce((sum, group) => {
        if (group.suspend) return sum;
        const min = group.minReplicas ?? 0;
        const max = group.maxReplicas ?? Number.MAX_SAFE_INTEGER;
        const replicas = Math.min(Math.max(group.replicas ?? min, min), max);
        return sum + replicas * (group.numOfHosts ?? 1);
    }, 0);
}
