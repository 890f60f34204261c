import * as fs from "fs";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { evaluateManifest, ManifestVerdict } from "../pss/evaluateManifest";
import { testDataPath } from "./support/testData";

function tutorialFile(name: string): any[] {
    return parseAllDocuments(fs.readFileSync(testDataPath(`kuberay-v1.3.2/${name}`), "utf8")).map((d) => d.toJS());
}

function evaluated(verdict: ManifestVerdict) {
    if (!verdict.evaluated) {
        throw new Error(verdict.reason);
    }
    return verdict.pods;
}

const restrictedCluster = () => structuredClone(tutorialFile("ray-cluster.pod-security.yaml")[0]);
const HARDENED = { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } };

describe("the tutorial's RayClusters", () => {
    it("Step 5.2: ray-cluster.pod-security.yaml is allowed at restricted:latest, head and worker", () => {
        const pods = evaluated(evaluateManifest(restrictedCluster(), "restricted", "latest"));
        expect(pods.map((p) => [p.pod, p.allowed])).toEqual([
            ["head", true],
            ["worker/large-group", true],
        ]);
    });

    it("Step 5.1: ray-cluster.complete.yaml is refused with the API server's message", () => {
        const pods = evaluated(evaluateManifest(tutorialFile("ray-cluster.complete.yaml")[0], "restricted", "latest"));
        expect(pods.map((p) => p.pod)).toEqual(["head", "worker/small-group"]);
        // The tutorial's example message begins exactly like this.
        expect(pods[0].message).toMatch(
            /^violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false \(container "ray-head" must set securityContext\.allowPrivilegeEscalation=false\)/,
        );
        expect(pods[0].message).toBe(
            'violates PodSecurity "restricted:latest": ' +
                'allowPrivilegeEscalation != false (container "ray-head" must set securityContext.allowPrivilegeEscalation=false), ' +
                'unrestricted capabilities (container "ray-head" must set securityContext.capabilities.drop=["ALL"]), ' +
                'runAsNonRoot != true (pod or container "ray-head" must set securityContext.runAsNonRoot=true), ' +
                'seccompProfile (pod or container "ray-head" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")',
        );
        // The worker Pod includes the init container the operator injects.
        expect(pods[1].message).toBe(
            'violates PodSecurity "restricted:latest": ' +
                'allowPrivilegeEscalation != false (containers "wait-gcs-ready", "ray-worker" must set securityContext.allowPrivilegeEscalation=false), ' +
                'unrestricted capabilities (containers "wait-gcs-ready", "ray-worker" must set securityContext.capabilities.drop=["ALL"]), ' +
                'runAsNonRoot != true (pod or containers "wait-gcs-ready", "ray-worker" must set securityContext.runAsNonRoot=true), ' +
                'seccompProfile (pod or containers "wait-gcs-ready", "ray-worker" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")',
        );
        expect(pods[0].violations.map((v) => v.check)).toEqual(["allowPrivilegeEscalation", "capabilities_restricted", "runAsNonRoot", "seccompProfile_restricted"]);
    });

    it("Step 5.1's cluster is allowed at baseline: only restricted asks for these fields", () => {
        expect(evaluated(evaluateManifest(tutorialFile("ray-cluster.complete.yaml")[0], "baseline", "latest")).every((p) => p.allowed)).toBe(true);
    });
});

describe("RayCluster cases", () => {
    it("autoscaling without autoscalerOptions.securityContext: the injected autoscaler is refused", () => {
        const cluster = restrictedCluster();
        cluster.spec.enableInTreeAutoscaling = true;
        const head = evaluated(evaluateManifest(cluster, "restricted", "latest"))[0];
        expect(head.allowed).toBe(false);
        expect(head.message).toContain('allowPrivilegeEscalation != false (container "autoscaler" must set securityContext.allowPrivilegeEscalation=false)');
        expect(head.message).not.toContain('"ray-head"');
    });

    it("autoscaling with autoscalerOptions.securityContext: allowed", () => {
        const cluster = restrictedCluster();
        cluster.spec.enableInTreeAutoscaling = true;
        cluster.spec.autoscalerOptions = { securityContext: HARDENED };
        expect(evaluated(evaluateManifest(cluster, "restricted", "latest")).every((p) => p.allowed)).toBe(true);
    });

    it("a worker sidecar without securityContext is refused, naming only the sidecar", () => {
        const cluster = restrictedCluster();
        cluster.spec.workerGroupSpecs[0].template.spec.containers.push({ name: "fluent-bit", image: "fluent/fluent-bit:3.0" });
        const [head, worker] = evaluated(evaluateManifest(cluster, "restricted", "latest"));
        expect(head.allowed).toBe(true);
        expect(worker.message).toContain('allowPrivilegeEscalation != false (container "fluent-bit" must set securityContext.allowPrivilegeEscalation=false)');
    });

    it("a hostPath volume is refused at baseline and at restricted", () => {
        const cluster = restrictedCluster();
        cluster.spec.headGroupSpec.template.spec.volumes.push({ name: "host", hostPath: { path: "/var/run" } });
        for (const level of ["baseline", "restricted"] as const) {
            const head = evaluated(evaluateManifest(cluster, level, "latest"))[0];
            expect(head.allowed, level).toBe(false);
        }
        expect(evaluated(evaluateManifest(cluster, "baseline", "latest"))[0].message).toBe('violates PodSecurity "baseline:latest": hostPath volumes (volume "host")');
        expect(evaluated(evaluateManifest(cluster, "restricted", "latest"))[0].message).toBe(
            'violates PodSecurity "restricted:latest": restricted volume types (volume "host" uses restricted volume type "hostPath")',
        );
    });

    it("runAsUser: 0 is allowed at restricted v1.22 and refused from v1.23", () => {
        const cluster = restrictedCluster();
        cluster.spec.headGroupSpec.template.spec.securityContext = { runAsUser: 0 };
        const headAt = (version: string) => evaluated(evaluateManifest(cluster, "restricted", version))[0];
        expect(headAt("v1.22").allowed).toBe(true);
        expect(headAt("v1.23").allowed).toBe(false);
        expect(headAt("v1.23").message).toBe('violates PodSecurity "restricted:v1.23": runAsUser=0 (pod must not set runAsUser=0)');
        expect(headAt("latest").allowed).toBe(false);
    });
});
