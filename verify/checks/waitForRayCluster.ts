/** Polls the RayCluster until it is ready, cannot become ready, or the time is up. */

import { Clock } from "../clock";
import { rayClusterReadiness, ReadinessWait } from "./readiness";
import { RayClusterObject } from "./rayCluster";

export interface WaitOptions {
    clock: Clock;
    timeoutMs: number;
    pollMs: number;
    /** Called when the status changes while waiting. */
    onProgress?(summary: string): void;
}

export async function waitForRayCluster(
    read: () => Promise<RayClusterObject | undefined>,
    { clock, timeoutMs, pollMs, onProgress }: WaitOptions,
): Promise<ReadinessWait & { rayCluster?: RayClusterObject }> {
    const start = clock.now();
    let lastSummary: string | undefined;
    for (;;) {
        const rayCluster = await read();
        const readiness = rayClusterReadiness(rayCluster);
        const waitedMs = clock.now() - start;
        if (readiness.verdict !== "pending") return { readiness, timedOut: false, waitedMs, rayCluster };
        if (waitedMs >= timeoutMs) return { readiness, timedOut: true, waitedMs, rayCluster };
        if (readiness.summary !== lastSummary) onProgress?.(readiness.summary);
        lastSummary = readiness.summary;
        await clock.sleep(Math.min(pollMs, timeoutMs - waitedMs));
    }
}
