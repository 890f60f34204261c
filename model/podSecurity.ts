/**
 * Levels and policy versions, ported from k8s.io/pod-security-admission@v0.37.2 api/helpers.go
 * (Version, Older, MajorMinorVersion, LatestVersion, ParseLevel, ParseVersion).
 */

/** The Pod Security Standards' levels (an `as const` object, so a package schema can name them as an enum). */
export const Level = {
    /** Unrestricted. */
    Privileged: "privileged",
    /** Prevents known privilege escalations. */
    Baseline: "baseline",
    /** Heavily restricted: current Pod hardening best practices. */
    Restricted: "restricted",
} as const;
export type Level = (typeof Level)[keyof typeof Level];

export const LEVELS: readonly Level[] = Object.freeze(["privileged", "baseline", "restricted"] as const);

export function isLevel(value: string): value is Level {
    return value === "privileged" || value === "baseline" || value === "restricted";
}

/** What a level may be, for messages (config keys, CLI flags). */
export const LEVEL_RULE = 'one of "privileged", "baseline", "restricted"';
/** What a version may be, for messages: the forms the `pod-security.kubernetes.io/*-version` labels accept. */
export const VERSION_RULE = '"latest" or "v1.N" (for example "v1.30")';

/** A policy version: v<major>.<minor>, or "latest" (always newer than any numbered version). */
export interface Version {
    readonly major: number;
    readonly minor: number;
    readonly latest: boolean;
}

export function majorMinorVersion(major: number, minor: number): Version {
    return { major, minor, latest: false };
}

export const LATEST_VERSION: Version = Object.freeze({ major: 0, minor: 0, latest: true });

/** Version.String(): "latest" or "v1.N". */
export function versionString(v: Version): string {
    return v.latest ? "latest" : `v${v.major}.${v.minor}`;
}

/** Version.Older: true if a is older than b. Latest is never older, and everything numbered is older than latest. */
export function isOlder(a: Version, b: Version): boolean {
    if (a.latest) return false;
    if (b.latest) return true;
    if (a.major !== b.major) return a.major < b.major;
    return a.minor < b.minor;
}

export function sameVersion(a: Version, b: Version): boolean {
    return a.latest === b.latest && a.major === b.major && a.minor === b.minor;
}

/** registry.go nextMinor: latest stays latest. */
export function nextMinor(v: Version): Version {
    return v.latest ? v : majorMinorVersion(v.major, v.minor + 1);
}

// Same pattern as upstream's versionRegexp; compiled once.
const VERSION_PATTERN = /^v1\.([0-9]|[1-9][0-9]*)$/;
// Go's strconv.Atoi fails above int64's maximum, so ParseVersion rejects such versions.
const MAX_INT64_DIGITS = "9223372036854775807";

/** ParseVersion without the error: undefined when the string is neither "latest" nor "v1.x". */
export function parseVersion(version: string): Version | undefined {
    if (version === "latest") return LATEST_VERSION;
    const match = VERSION_PATTERN.exec(version);
    if (match === null) return undefined;
    const digits = match[1];
    if (
        digits.length > MAX_INT64_DIGITS.length ||
        (digits.length === MAX_INT64_DIGITS.length && digits > MAX_INT64_DIGITS)
    ) {
        return undefined;
    }
    // Minors beyond Number's exact range are all newer than any registered check, so precision does not matter.
    return majorMinorVersion(1, Number(digits));
}

export function isVersion(value: string): boolean {
    return parseVersion(value) !== undefined;
}
