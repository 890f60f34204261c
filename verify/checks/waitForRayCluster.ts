/** Polls the RayCluster until it is ready, cannot become ready, or the time is up. */

import { RayClusterLike } from "../../model/k8s/types";
import { PollOptions, pollUntil } from "../time/pollUntil";
import { rayClusterReadiness, ReadinessWait } from "./readiness";

export interface WaitOptions extends PollOptions {
    /** Called when the status changes while waiting. */
    onProgress?(summary: string): void;
}

export async function waitForRayCluster(
    read: () => Promise<RayClusterLike | undefined>,
    { onProgress, ...poll }: WaitOptions,
): Promise<ReadinessWait & { rayCluster?: RayClusterLike }> {
    let lastSummary: string | undefined;
    const { value, timedOut, elapsedMs } = await pollUntil({
        ...poll,
        read: async () => {
            const rayCluster = await read();
            return { rayCluster, readiness: rayClusterReadiness(rayCluster) };
        },
        isFinal: ({ readiness }) => readiness.verdict !== "pending",
        onPending: ({ readiness }) => {
            if (readiness.summary !== lastSummary) onProgress?.(readiness.summary);
            lastSummary = readiness.summary;
        },
    });
    return { readiness: value.readiness, timedOut, waitedMs: elapsedMs, rayCluster: value.rayCluster };
}
