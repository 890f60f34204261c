/** Ports of policy/helpers.go (joinQuote, pluralize, relaxPolicyForUserNamespacePod) plus nil-tolerant readers. */

import type { PodSpecShape } from "./podShape";

/** `"a", "b"`; items are wrapped in quotes as they are, without escaping (unlike %q). */
export function joinQuote(items: readonly string[]): string {
    if (items.length === 0) return "";
    return `"${items.join('", "')}"`;
}

export function pluralize(singular: string, plural: string, count: number): string {
    return count === 1 ? singular : plural;
}

/** True when the pod runs in a user namespace (hostUsers: false), which relaxes some checks from v1.35. */
export function relaxPolicyForUserNamespacePod(spec: PodSpecShape): boolean {
    return spec.hostUsers === false;
}

/** A Go string field's value: missing or null decodes to "". */
export function str(value: unknown): string {
    return typeof value === "string" ? value : value == null ? "" : String(value);
}

const NO_ITEMS: readonly never[] = Object.freeze([]);

/** A Go slice field's items: missing, null (or not a list) is empty; null items decode to zero values. */
export function itemsOf<T>(list: readonly (T | null | undefined)[] | null | undefined): readonly (T | null | undefined)[] {
    return Array.isArray(list) ? list : NO_ITEMS;
}
