/**
 * Evaluates every Pod a manifest makes the API server see, at one Pod Security level and version, and says
 * what the API server would answer for each: the shared core of the CLI, the program and the policy pack.
 */

import { PodSource } from "../model/k8s/types";
import { extractPods } from "./extract";
import { checkPod, Level, Violation, violationMessage } from "./index";

export interface PodVerdict {
    /** `""` Pod, `"template"` workload, `"head"`, `"worker/<group>"`, `"submitter"`. */
    pod: string;
    allowed: boolean;
    violations: Violation[];
    /** The API server's refusal text (`violates PodSecurity "…": …`), empty when allowed. */
    message: string;
    /** Where the Pod's spec and injected containers are in the manifest. */
    source: PodSource;
    /** The Pod's spec as evaluated (injected containers included). */
    spec: Record<string, any>;
}

export type ManifestVerdict =
    | { kind: string; name: string; evaluated: true; pods: PodVerdict[] }
    | { kind: string; name: string; evaluated: false; reason: string; invalid?: true };

export function evaluateManifest(manifest: unknown, level: Level, version: string): ManifestVerdict {
    const object = (typeof manifest === "object" && manifest !== null ? manifest : {}) as { kind?: unknown; metadata?: { name?: unknown } };
    const kind = typeof object.kind === "string" ? object.kind : "";
    const name = typeof object.metadata?.name === "string" ? object.metadata.name : "";
    const extraction = extractPods(manifest);
    if (!extraction.evaluated) {
        return { kind, name, evaluated: false, reason: extraction.reason, ...(extraction.invalid ? { invalid: true as const } : {}) };
    }
    return {
        kind,
        name,
        evaluated: true,
        pods: extraction.pods.map(({ pod, metadata, spec, source }) => {
            const { allowed, violations } = checkPod(level, version, { metadata, spec });
            return { pod, allowed, violations, message: allowed ? "" : violationMessage(level, version, violations), source, spec };
        }),
    };
}

/** Where a refused Pod comes from, for messages: `RayCluster "x" head Pod`. */
export function describePod(kind: string, name: string, pod: string): string {
    const where = pod === "" ? "" : pod === "template" ? " Pod template" : ` ${pod} Pod`;
    return `${kind} ${JSON.stringify(name)}${where}`;
}
