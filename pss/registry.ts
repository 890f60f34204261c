/**
 * Port of policy/registry.go (k8s.io/pod-security-admission@v0.37.2): validates the checks, then precomputes
 * for every minor version from v1.0 to the newest MinimumVersion the ordered list of check functions each
 * level runs. Order: baseline IDs sorted, then restricted IDs sorted (so messages list failures exactly as
 * the API server does); a restricted revision's OverrideCheckIDs remove those baseline checks at that version.
 */

import {
    type Level,
    type Version,
    isOlder,
    majorMinorVersion,
    nextMinor,
    sameVersion,
    versionString,
} from "../model/podSecurity";
import type { Check, CheckId, CheckPodFn, VersionedCheck } from "./core/check";
import { compareGoStrings } from "./core/goFormat";

/** A check function ready to run, with the ID of the check it belongs to. */
export interface RegisteredCheck {
    readonly id: CheckId;
    readonly checkPod: CheckPodFn;
}

const NONE: readonly RegisteredCheck[] = Object.freeze([]);

export class CheckRegistry {
    /** Highest version with its own check lists; newer requested versions (and latest) evaluate as this one. */
    readonly maxVersion: Version;
    // Indexed by minor version (major is always 1).
    private readonly baselineChecks: readonly (readonly RegisteredCheck[])[];
    private readonly restrictedChecks: readonly (readonly RegisteredCheck[])[];

    constructor(
        maxVersion: Version,
        baselineChecks: readonly (readonly RegisteredCheck[])[],
        restrictedChecks: readonly (readonly RegisteredCheck[])[],
    ) {
        this.maxVersion = maxVersion;
        this.baselineChecks = baselineChecks;
        this.restrictedChecks = restrictedChecks;
    }

    /** The checks EvaluatePod runs for this level and version, in order. Privileged runs none. */
    checksFor(level: Level, version: Version): readonly RegisteredCheck[] {
        if (level === "privileged") return NONE;
        const v = isOlder(this.maxVersion, version) ? this.maxVersion : version;
        const table = level === "baseline" ? this.baselineChecks : this.restrictedChecks;
        return table[v.minor] ?? NONE;
    }
}

/**
 * NewEvaluator: throws when the checks are invalid. emulationVersion lowers the newest version evaluated,
 * as when the API server emulates an older minor.
 */
export function newEvaluator(checks: readonly Check[], emulationVersion?: Version): CheckRegistry {
    validateChecks(checks);
    const { maxVersion, baselineChecks, restrictedChecks } = populate(checks);
    // Lower the max version if we're emulating an older minor.
    const effectiveMax =
        emulationVersion !== undefined && isOlder(emulationVersion, maxVersion) ? emulationVersion : maxVersion;
    return new CheckRegistry(effectiveMax, baselineChecks, restrictedChecks);
}

export function validateChecks(checks: readonly Check[]): void {
    const ids = new Map<CheckId, Check["level"]>();
    for (const check of checks) {
        if (ids.has(check.id)) throw new Error(`multiple checks registered for ID ${check.id}`);
        ids.set(check.id, check.level);
        if (check.level !== "baseline" && check.level !== "restricted") {
            throw new Error(`check ${check.id}: invalid level ${String(check.level)}`);
        }
        if (check.versions.length === 0) throw new Error(`check ${check.id}: empty`);
        let maxVersion = majorMinorVersion(0, 0);
        for (const c of check.versions) {
            if (sameVersion(c.minimumVersion, majorMinorVersion(0, 0))) {
                throw new Error(`check ${check.id}: undefined version found`);
            }
            if (c.minimumVersion.latest) throw new Error(`check ${check.id}: version cannot be 'latest'`);
            if (sameVersion(maxVersion, c.minimumVersion)) {
                throw new Error(`check ${check.id}: duplicate version ${versionString(c.minimumVersion)}`);
            }
            if (!isOlder(maxVersion, c.minimumVersion)) {
                throw new Error(`check ${check.id}: versions must be strictly increasing`);
            }
            if (c.minimumVersion.major !== 1) {
                throw new Error(`check ${check.id}: only major version 1 is supported`); // upstream assumes it too
            }
            maxVersion = c.minimumVersion;
        }
    }
    // Second pass: overrides only on restricted checks, and only of baseline checks.
    for (const check of checks) {
        for (const c of check.versions) {
            if (c.overrideCheckIds === undefined || c.overrideCheckIds.length === 0) continue;
            if (check.level !== "restricted") throw new Error(`check ${check.id}: only restricted checks may set overrides`);
            for (const override of c.overrideCheckIds) {
                const overriddenLevel = ids.get(override);
                if (overriddenLevel !== undefined && overriddenLevel !== "baseline") {
                    throw new Error(`check ${check.id}: overrides ${overriddenLevel} check ${override}`);
                }
            }
        }
    }
}

type VersionedChecksById = Map<CheckId, VersionedCheck>;

interface CheckTables {
    readonly maxVersion: Version;
    readonly baselineChecks: readonly (readonly RegisteredCheck[])[];
    readonly restrictedChecks: readonly (readonly RegisteredCheck[])[];
}

function populate(checks: readonly Check[]): CheckTables {
    // Find the max(MinimumVersion) across all checks.
    let maxVersion = majorMinorVersion(0, 0);
    for (const c of checks) {
        const lastVersion = c.versions[c.versions.length - 1].minimumVersion;
        if (isOlder(maxVersion, lastVersion)) maxVersion = lastVersion;
    }

    const restrictedVersionedChecks: VersionedChecksById[] = [];
    const baselineVersionedChecks: VersionedChecksById[] = [];
    const baselineIds: CheckId[] = [];
    const restrictedIds: CheckId[] = [];
    for (const c of checks) {
        if (c.level === "restricted") {
            restrictedIds.push(c.id);
            inflateVersions(c, restrictedVersionedChecks, maxVersion);
        } else {
            baselineIds.push(c.id);
            inflateVersions(c, baselineVersionedChecks, maxVersion);
        }
    }
    // Sorted IDs keep messages consistent: baseline checks first, then restricted.
    const orderedIds = [...baselineIds.sort(compareGoStrings), ...restrictedIds.sort(compareGoStrings)];

    const baselineChecks: (readonly RegisteredCheck[])[] = [];
    const restrictedChecks: (readonly RegisteredCheck[])[] = [];
    for (let v = majorMinorVersion(1, 0); isOlder(v, nextMinor(maxVersion)); v = nextMinor(v)) {
        const restrictedAtV = (restrictedVersionedChecks[v.minor] ??= new Map());
        const baselineAtV = baselineVersionedChecks[v.minor] ?? new Map<CheckId, VersionedCheck>();
        // Baseline checks overridden by a restricted check at this version are left out of restricted.
        const overrides = new Set<CheckId>();
        for (const c of restrictedAtV.values()) for (const id of c.overrideCheckIds ?? []) overrides.add(id);
        for (const [id, c] of baselineAtV) if (!overrides.has(id)) restrictedAtV.set(id, c);

        restrictedChecks[v.minor] = mapCheckPodFns(restrictedAtV, orderedIds);
        baselineChecks[v.minor] = mapCheckPodFns(baselineAtV, orderedIds);
    }
    return { maxVersion, baselineChecks, restrictedChecks };
}

/** Records each revision of a check for every version from its MinimumVersion up to the next revision's. */
function inflateVersions(check: Check, versions: VersionedChecksById[], maxVersion: Version): void {
    check.versions.forEach((c, i) => {
        const nextVersion = i + 1 < check.versions.length ? check.versions[i + 1].minimumVersion : nextMinor(maxVersion);
        for (let v = c.minimumVersion; isOlder(v, nextVersion); v = nextMinor(v)) {
            (versions[v.minor] ??= new Map()).set(check.id, c);
        }
    });
}

function mapCheckPodFns(checks: VersionedChecksById, orderedIds: readonly CheckId[]): readonly RegisteredCheck[] {
    const fns: RegisteredCheck[] = [];
    for (const id of orderedIds) {
        const check = checks.get(id);
        if (check !== undefined) fns.push({ id, checkPod: check.checkPod });
    }
    return Object.freeze(fns);
}
