/**
 * A CrossGuard policy that refuses, at `pulumi preview`, every Pod-bearing resource whose Pods the API
 * server would refuse at the configured Pod Security level and version — including RayClusters, RayJobs and
 * RayServices, which Pod Security Admission itself never looks at.
 */

import type { ReportViolation, ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { describePod, evaluateManifest } from "../pss/evaluateManifest";
import { isLevel, isVersion, Level, LEVEL_RULE, LEVELS, VERSION_RULE } from "../model/podSecurity";

export interface PodSecurityPolicyConfig {
    level: Level;
    version: string;
}

export const DEFAULT_POLICY_CONFIG: PodSecurityPolicyConfig = { level: "restricted", version: "latest" };

/** `kubernetes:apps/v1:Deployment` → `{apiVersion: "apps/v1", kind: "Deployment"}`; core has no group. */
export function kubernetesTypeOf(type: string): { apiVersion: string; kind: string } | undefined {
    const match = /^kubernetes:([^:]+):([^:]+)$/.exec(type);
    if (!match) {
        return undefined;
    }
    const [, groupVersion, kind] = match;
    return { apiVersion: groupVersion.startsWith("core/") ? groupVersion.slice("core/".length) : groupVersion, kind };
}

/** One message per refused Pod of the resource; empty when it is allowed or carries no Pod. */
export function podSecurityViolations(type: string, props: Record<string, any>, config: PodSecurityPolicyConfig): string[] {
    const kubernetesType = kubernetesTypeOf(type);
    if (!kubernetesType) {
        return [];
    }
    const manifest = { ...props, ...kubernetesType };
    const verdict = evaluateManifest(manifest, config.level, config.version);
    if (!verdict.evaluated) {
        // A malformed Pod-bearing object cannot be judged; the API server would refuse it anyway.
        return verdict.invalid ? [`${kubernetesType.kind} ${JSON.stringify(verdict.name)} cannot be evaluated: ${verdict.reason}`] : [];
    }
    return verdict.pods
        .filter((pod) => !pod.allowed)
        .map((pod) => `${describePod(kubernetesType.kind, verdict.name, pod.pod)} would be refused: ${pod.message}`);
}

/**
 * The pack's configuration, checked by the checker's own parser: the schema's pattern cannot say that a
 * minor beyond what the API server parses is refused. One message naming the key, value and what is allowed.
 */
export function policyConfig(given: Partial<PodSecurityPolicyConfig>): PodSecurityPolicyConfig {
    const config = { ...DEFAULT_POLICY_CONFIG, ...given };
    if (!isLevel(config.level)) throw new Error(`pod-security-standards: level ${JSON.stringify(config.level)} is not allowed; it must be ${LEVEL_RULE}`);
    if (!isVersion(config.version)) throw new Error(`pod-security-standards: version ${JSON.stringify(config.version)} is not allowed; it must be ${VERSION_RULE}`);
    return config;
}

export function validatePodSecurity(args: ResourceValidationArgs, reportViolation: ReportViolation): void {
    const config = policyConfig(args.getConfig<Partial<PodSecurityPolicyConfig>>());
    for (const message of podSecurityViolations(args.type, args.props, config)) {
        reportViolation(message);
    }
}

export const podSecurityStandards: ResourceValidationPolicy = {
    name: "pod-security-standards",
    description:
        "Pods (and Pods created from workloads, RayClusters, RayJobs and RayServices) must be admitted by Pod Security Admission at the configured level and version.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            level: { type: "string", enum: [...LEVELS], default: DEFAULT_POLICY_CONFIG.level },
            version: { type: "string", pattern: "^(latest|v1\\.(0|[1-9][0-9]*))$", default: DEFAULT_POLICY_CONFIG.version },
        },
    },
    validateResource: validatePodSecurity,
};
