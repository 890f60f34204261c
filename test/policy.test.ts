import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { kubernetesTypeOf, policyConfig, podSecurityStandards, podSecurityViolations, validatePodSecurity } from "../policy/podSecurityPolicy";
import { buildRayCluster } from "../components/raycluster/rayClusterSpec";
import { DEFAULT_WORKER_GROUP } from "../config/schema";
import { testDataPath } from "./support/testData";
import { PROJECT_DIR } from "./support/paths";

const complete = parse(fs.readFileSync(testDataPath("kuberay-v1.3.2/ray-cluster.complete.yaml"), "utf8"));
const { apiVersion: _a, kind: _k, ...completeProps } = complete;

/** Calls the policy's validateResource the way the Pulumi engine does, collecting the violations. */
function validate(type: string, props: Record<string, any>, config: Record<string, unknown> = {}): string[] {
    const violations: string[] = [];
    validatePodSecurity({ type, props, getConfig: () => config } as any, (message: string) => violations.push(message));
    return violations;
}

describe("pod-security-standards policy", () => {
    it("is mandatory, with level and version configurable (restricted, latest by default)", () => {
        expect(podSecurityStandards.enforcementLevel).toBe("mandatory");
        expect(podSecurityStandards.configSchema?.properties.level).toMatchObject({ enum: ["privileged", "baseline", "restricted"], default: "restricted" });
        expect(podSecurityStandards.configSchema?.properties.version).toMatchObject({ default: "latest" });
    });

    it("refuses the tutorial's Step 5.1 RayCluster, one violation per refused Pod", () => {
        const violations = validate("kubernetes:ray.io/v1:RayCluster", completeProps);
        expect(violations).toHaveLength(2);
        expect(violations[0]).toMatch(/^RayCluster "raycluster-complete" head Pod would be refused: violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false \(container "ray-head"/);
        expect(violations[1]).toMatch(/^RayCluster "raycluster-complete" worker\/small-group Pod would be refused: /);
    });

    it("passes the program's hardened RayCluster", () => {
        const { apiVersion: _v, kind: _kind, ...props } = buildRayCluster({
            name: "rc",
            rayVersion: "2.52.0",
            image: "rayproject/ray:2.52.0",
            head: { cpu: "1", memory: "2Gi" },
            workerGroups: [DEFAULT_WORKER_GROUP],
            autoscaling: true,
            exampleConfigMap: "ray-example",
        });
        expect(validate("kubernetes:ray.io/v1:RayCluster", props)).toEqual([]);
    });

    it("reads level and version from the pack's config", () => {
        expect(validate("kubernetes:ray.io/v1:RayCluster", completeProps, { level: "baseline" })).toEqual([]);
        const pod = { metadata: { name: "root" }, spec: { securityContext: { runAsUser: 0, runAsNonRoot: false }, containers: [{ name: "c", image: "x" }] } };
        expect(validate("kubernetes:core/v1:Pod", pod, { level: "restricted", version: "v1.22" }).join()).not.toContain("runAsUser=0");
        expect(validate("kubernetes:core/v1:Pod", pod, { level: "restricted", version: "v1.23" }).join()).toContain("runAsUser=0 (pod must not set runAsUser=0)");
    });

    it("covers workloads: a privileged Deployment is refused even at baseline", () => {
        const deployment = { metadata: { name: "d" }, spec: { template: { spec: { containers: [{ name: "c", image: "x", securityContext: { privileged: true } }] } } } };
        expect(validate("kubernetes:apps/v1:Deployment", deployment, { level: "baseline" })).toEqual([
            'Deployment "d" Pod template would be refused: violates PodSecurity "baseline:latest": privileged (container "c" must not set securityContext.privileged=true)',
        ]);
    });

    it("ignores resources that are not Kubernetes or carry no Pod", () => {
        expect(validate("command:local:Command", { create: "kind create cluster" })).toEqual([]);
        expect(validate("kubernetes:core/v1:Service", { metadata: { name: "s" }, spec: {} })).toEqual([]);
        expect(podSecurityViolations("kubernetes:helm.sh/v4:Chart", { chart: "x" }, { level: "restricted", version: "latest" })).toEqual([]);
    });

    it("maps Pulumi type tokens to apiVersion and kind", () => {
        expect(kubernetesTypeOf("kubernetes:core/v1:Pod")).toEqual({ apiVersion: "v1", kind: "Pod" });
        expect(kubernetesTypeOf("kubernetes:ray.io/v1:RayJob")).toEqual({ apiVersion: "ray.io/v1", kind: "RayJob" });
        expect(kubernetesTypeOf("aws:s3/bucket:Bucket")).toBeUndefined();
    });

    it("ships as a nodejs policy pack", () => {
        expect(parse(fs.readFileSync(path.join(PROJECT_DIR, "policy", "PulumiPolicy.yaml"), "utf8"))).toMatchObject({ runtime: "nodejs" });
        expect(JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "policy", "package.json"), "utf8")).dependencies).toHaveProperty("@pulumi/policy");
    });
});

describe("the policy under the Pulumi policy engine's proxies", () => {
    it("evaluates props wrapped as the engine wraps them (unknown-value checking proxies)", () => {
        // The engine hands validateResource its props through this proxy (server.js); structuredClone fails on it.
        const { unknownCheckingProxy } = require("@pulumi/policy/proxy") as { unknownCheckingProxy<T>(value: T): T };
        const hardened = parseAllDocuments(fs.readFileSync(testDataPath("kuberay-v1.3.2/ray-cluster.pod-security.yaml"), "utf8"))[0].toJS();
        const { apiVersion: _v, kind: _k, ...props } = hardened;
        props.spec.enableInTreeAutoscaling = true;
        props.spec.autoscalerOptions = { securityContext: props.spec.headGroupSpec.template.spec.containers[0].securityContext };
        expect(validate("kubernetes:ray.io/v1:RayCluster", unknownCheckingProxy(props))).toEqual([]);
        expect(validate("kubernetes:ray.io/v1:RayCluster", unknownCheckingProxy(completeProps))).toHaveLength(2);
    });

    it("reports a malformed RayCluster instead of crashing", () => {
        expect(validate("kubernetes:ray.io/v1:RayCluster", { metadata: { name: "rc" }, spec: { headGroupSpec: { template: { spec: { containers: [{ name: "h" }] } } }, workerGroupSpecs: [{}] } })).toEqual([
            'RayCluster "rc" cannot be evaluated: spec.workerGroupSpecs[0].template.spec.containers is missing or empty',
        ]);
    });

    it("checks its configuration with the checker's parser: one message naming the key, the value and what is allowed", () => {
        expect(policyConfig({})).toEqual({ level: "restricted", version: "latest" });
        expect(policyConfig({ level: "baseline", version: "v1.30" })).toEqual({ level: "baseline", version: "v1.30" });
        // The schema's pattern lets this through; the API server's ParseVersion does not.
        expect(() => policyConfig({ version: "v1.99999999999999999999" })).toThrow(
            'pod-security-standards: version "v1.99999999999999999999" is not allowed; it must be "latest" or "v1.N" (for example "v1.30")',
        );
        expect(() => policyConfig({ level: "strict" as never })).toThrow('pod-security-standards: level "strict" is not allowed; it must be one of "privileged", "baseline", "restricted"');
    });
});
