import { createHash } from "crypto";

/** 16 hex digits of the SHA-256 of a value's JSON: equal values, equal hashes (names, keys, triggers). */
export function shortHash(value: unknown): string {
    return createHash("sha256").update(JSON.stringify(value)).digest("hex").slice(0, 16);
}
