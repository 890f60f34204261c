/**
 * Port of policy/visitor.go. Upstream visits initContainers, containers, then ephemeralContainers with a
 * callback per check; here the list is flattened once per pod (PodView) so every check loops over it
 * without closures or repeated concatenation.
 */

import { defaultHostNetworkPorts, defaultVolumes, syncAppArmorAnnotations } from "./apiServerDefaults";
import type { ContainerShape, ObjectMetaShape, PodSpecShape, VolumeShape } from "./podShape";

/** What a check sees: metadata and spec (never null), containers in visit order, and volumes. */
export interface PodView {
    readonly metadata: ObjectMetaShape;
    readonly spec: PodSpecShape;
    readonly containers: readonly ContainerShape[];
    readonly volumes: readonly VolumeShape[];
}

type PodInput = { metadata?: unknown; spec?: unknown } | null | undefined;
type Items<T> = readonly (T | null | undefined)[];

const EMPTY: Readonly<Record<string, never>> = Object.freeze({});
const NO_ITEMS: readonly never[] = Object.freeze([]);

/** The pod exactly as given, as the policy package sees an object decoded into core/v1 types. */
export function podView(pod: PodInput): PodView {
    const metadata = objectOrEmpty(pod?.metadata) as ObjectMetaShape;
    const spec = objectOrEmpty(pod?.spec) as PodSpecShape;
    return {
        metadata,
        spec,
        containers: visitContainers(
            listOf<ContainerShape>(spec.initContainers),
            listOf<ContainerShape>(spec.containers),
            listOf<ContainerShape>(spec.ephemeralContainers),
        ),
        volumes: withoutNulls(listOf<VolumeShape>(spec.volumes)),
    };
}

/**
 * The pod as PodSecurity admission sees it in the API server, after the defaulting that touches fields the
 * checks read (see apiServerDefaults.ts). Allocates only when a default actually changes something.
 */
export function admittedPodView(pod: PodInput): PodView {
    const metadata = objectOrEmpty(pod?.metadata) as ObjectMetaShape;
    const spec = objectOrEmpty(pod?.spec) as PodSpecShape;
    let init = withoutNulls(listOf<ContainerShape>(spec.initContainers));
    let main = withoutNulls(listOf<ContainerShape>(spec.containers));
    if (spec.hostNetwork === true) {
        init = defaultHostNetworkPorts(init);
        main = defaultHostNetworkPorts(main);
    }
    let containers = visitContainers(init, main, listOf<ContainerShape>(spec.ephemeralContainers));
    if (spec.os?.name !== "windows") {
        containers = syncAppArmorAnnotations(metadata.annotations, spec.securityContext?.appArmorProfile, containers);
    }
    return {
        metadata,
        spec,
        containers,
        volumes: defaultVolumes(withoutNulls(listOf<VolumeShape>(spec.volumes))),
    };
}

function objectOrEmpty(value: unknown): object {
    return typeof value === "object" && value !== null ? value : EMPTY;
}

function listOf<T>(list: unknown): Items<T> {
    return Array.isArray(list) ? list : NO_ITEMS;
}

/** initContainers, containers, ephemeralContainers; allocates only when more than one list is non-empty. */
function visitContainers(
    init: Items<ContainerShape>,
    main: Items<ContainerShape>,
    ephemeral: Items<ContainerShape>,
): readonly ContainerShape[] {
    let all: Items<ContainerShape>;
    if (init.length === 0 && ephemeral.length === 0) all = main;
    else if (main.length === 0 && ephemeral.length === 0) all = init;
    else all = [...init, ...main, ...ephemeral];
    return withoutNulls(all);
}

/** A null list item decodes in Go to a zero value (a container or volume with no fields set). */
function withoutNulls<T extends object>(list: Items<T>): readonly T[] {
    for (let i = 0; i < list.length; i++) {
        if (typeof list[i] !== "object" || list[i] === null) {
            return list.map((item) => (typeof item === "object" && item !== null ? item : (EMPTY as T)));
        }
    }
    return list as readonly T[];
}
