/**
 * Kubernetes Pod Security Standards checker: a port of k8s.io/pod-security-admission@v0.37.2 (policy and
 * api packages). checkPod gives the same verdict and violations, in the same order, as the API server's
 * PodSecurity admission for a namespace enforcing `level:version`; violationMessage formats them as its
 * enforce error does.
 */

import { type Level, LEVELS, LEVEL_RULE, isLevel, isVersion, parseVersion, versionString, majorMinorVersion, LATEST_VERSION, VERSION_RULE } from "../model/podSecurity";
import { type PodLike } from "../model/k8s/types";
import { type Forbidden, UNKNOWN_FORBIDDEN_REASON, forbiddenDetail } from "./core/check";
import { DEFAULT_CHECKS } from "./checks";
import { goQuote } from "./core/goFormat";
import { type RegisteredCheck, newEvaluator } from "./registry";
import { admittedPodView } from "./core/visitor";

export type { Level };
export { LEVELS, isLevel, isVersion };

const registry = newEvaluator(DEFAULT_CHECKS);

/** The newest policy version with its own rules (the highest MinimumVersion of any check). */
export const LATEST_MINOR: number = registry.maxVersion.minor;

export type { PodLike };

export interface Violation {
    /** Upstream check ID, e.g. "allowPrivilegeEscalation". */
    check: string;
    reason: string;
    detail: string;
}

export interface PodSecurityResult {
    allowed: boolean;
    violations: Violation[];
}

/** Check lists for every level and accepted spelling of a known version, so a lookup is one Map get. */
const checksByLevelAndVersion: ReadonlyMap<Level, ReadonlyMap<string, readonly RegisteredCheck[]>> = new Map(
    LEVELS.map((level) => {
        const byVersion = new Map<string, readonly RegisteredCheck[]>();
        byVersion.set("latest", registry.checksFor(level, LATEST_VERSION));
        for (let minor = 0; minor <= LATEST_MINOR; minor++) {
            const version = majorMinorVersion(1, minor);
            byVersion.set(versionString(version), registry.checksFor(level, version));
        }
        return [level, byVersion];
    }),
);

function checksFor(level: Level, version: string): readonly RegisteredCheck[] {
    assertLevel(level);
    const known = checksByLevelAndVersion.get(level)!.get(version);
    if (known !== undefined) return known;
    // Any other valid version is newer than every check and evaluates as the newest.
    return registry.checksFor(level, parsedVersion(version));
}

function assertLevel(level: string): asserts level is Level {
    if (!isLevel(level)) throw new Error(`unknown Pod Security level ${goQuote(String(level))}; allowed: ${LEVEL_RULE}`);
}

function parsedVersion(version: string) {
    const parsed = typeof version === "string" ? parseVersion(version) : undefined;
    if (parsed === undefined) {
        throw new Error(`invalid Pod Security version ${goQuote(String(version))}; allowed: ${VERSION_RULE}`);
    }
    return parsed;
}

/**
 * Evaluates a pod as the API server does for a namespace enforcing `level:version`.
 * version: "latest" or "v1.N"; versions newer than v1.LATEST_MINOR evaluate as latest.
 * Throws on an unknown level or an invalid version. Privileged always allows.
 */
export function checkPod(level: Level, version: string, pod: PodLike): PodSecurityResult {
    const checks = checksFor(level, version);
    const violations: Violation[] = [];
    if (checks.length === 0) return { allowed: true, violations };
    const view = admittedPodView(pod);
    for (const { id, checkPod: check } of checks) {
        const result = check(view);
        if (result !== undefined) {
            violations.push({ check: id, reason: result.reason || UNKNOWN_FORBIDDEN_REASON, detail: result.detail });
        }
    }
    return { allowed: violations.length === 0, violations };
}

/**
 * The API server's enforce message: `violates PodSecurity "<level>:<version>": reason (detail), reason2, …`,
 * with a detail's parentheses left out when it is empty.
 */
export function violationMessage(level: Level, version: string, violations: readonly Violation[]): string {
    assertLevel(level);
    parsedVersion(version);
    const results: readonly Forbidden[] = violations;
    return `violates PodSecurity ${goQuote(`${level}:${version}`)}: ${forbiddenDetail(results)}`;
}

/** One revision of a check, for documentation. */
export interface CheckVersionInfo {
    /** "v1.N": the first policy version this revision applies to. */
    readonly minimumVersion: string;
    /** Baseline check IDs this revision replaces at restricted while it applies. */
    readonly overrides: readonly string[];
}

export interface CheckInfo {
    readonly id: string;
    readonly level: "baseline" | "restricted";
    readonly versions: readonly CheckVersionInfo[];
}

/** Every registered check, sorted as the registry orders them (baseline IDs, then restricted IDs). */
export const CHECKS: readonly CheckInfo[] = Object.freeze(
    [...DEFAULT_CHECKS]
        .sort((a, b) => (a.level === b.level ? (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : a.level === "baseline" ? -1 : 1))
        .map((check) =>
            Object.freeze({
                id: check.id,
                level: check.level,
                versions: Object.freeze(
                    check.versions.map((v) =>
                        Object.freeze({
                            minimumVersion: versionString(v.minimumVersion),
                            overrides: Object.freeze([...(v.overrideCheckIds ?? [])]),
                        }),
                    ),
                ),
            }),
        ),
);

/** IDs of the checks run for this level and version, in the order their violations are listed. */
export function checkIdsFor(level: Level, version: string): string[] {
    return checksFor(level, version).map((c) => c.id);
}
