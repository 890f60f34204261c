import { PodLike, PodSource } from "../../model/k8s/types";

/** A Pod as the API server would receive it, found inside a manifest. */
export interface ExtractedPod extends PodLike {
    /** Where it comes from: `""` for a Pod, `"template"` for workloads, `"head"`, `"worker/<group>"`, `"submitter"` for Ray. */
    pod: string;
    spec: Record<string, any>;
    /** Where its spec (and injected containers) are in the manifest: to point at the field that violates. */
    source: PodSource;
}

export type Extraction =
    | { evaluated: true; pods: ExtractedPod[] }
    /** Not Pod-bearing, or no Pod can be built from it; `reason` says which. */
    | { evaluated: false; reason: string; /** The object is malformed (the API server would reject it). */ invalid?: true };

/** A Pod-bearing object whose shape no API server would accept: evaluation cannot go on. */
export class InvalidManifestError extends Error {}

export type Manifest = { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown }; spec?: any; [key: string]: any };
