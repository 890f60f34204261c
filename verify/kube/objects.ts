/** The parts of the cluster's objects that verify reads: what the API gives, and what the checks judge. */


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

/** The parts of a ray.io/v1 RayCluster that say whether it is usable. */
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
