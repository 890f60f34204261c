import { describe, expect, it } from "vitest";
import { DEFAULT_WORKER_GROUP } from "../config/schema";
import { rayClusterPods } from "../model/kuberay/operatorPods";
import { podSecurityLabels } from "../components/namespace/labels";
import { chartSource } from "../components/operator/chartSource";
import { operatorHelmValues } from "../components/operator/values";
import { buildExampleConfigMap, buildRayCluster, headServiceName, RayClusterOptions, readinessAnnotations } from "../components/raycluster/rayClusterSpec";
import { validateRayCluster } from "./helpers/crdSchema";
import { EXAMPLE_SCRIPT_PATH } from "../model/ray";

const RESTRICTED_CONTAINER = {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ["ALL"] },
    runAsNonRoot: true,
    seccompProfile: { type: "RuntimeDefault" },
};

const options: RayClusterOptions = {
    name: "raycluster-pod-security",
    rayVersion: "2.52.0",
    image: "rayproject/ray:2.52.0",
    head: { cpu: "1", memory: "2Gi" },
    workerGroups: [DEFAULT_WORKER_GROUP, { name: "big", replicas: 2, minReplicas: 0, maxReplicas: 4, cpu: "4", memory: "8Gi" }],
    autoscaling: false,
    exampleConfigMap: "ray-example",
};

describe("podSecurityLabels", () => {
    it("sets enforce, audit and warn with their versions", () => {
        expect(podSecurityLabels("baseline", "v1.30")).toEqual({
            "pod-security.kubernetes.io/enforce": "baseline",
            "pod-security.kubernetes.io/enforce-version": "v1.30",
            "pod-security.kubernetes.io/audit": "baseline",
            "pod-security.kubernetes.io/audit-version": "v1.30",
            "pod-security.kubernetes.io/warn": "baseline",
            "pod-security.kubernetes.io/warn-version": "v1.30",
        });
    });
});

describe("operatorHelmValues", () => {
    it("hardens the operator and keeps it namespaced unless asked", () => {
        expect(operatorHelmValues({ clusterWide: false })).toEqual({
            securityContext: { ...RESTRICTED_CONTAINER, readOnlyRootFilesystem: true },
            podSecurityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
            singleNamespaceInstall: true,
        });
        expect(operatorHelmValues({ clusterWide: true }).singleNamespaceInstall).toBe(false);
    });
});

describe("chartSource", () => {
    const official = { chartVersion: "1.7.0", chartRepository: "https://ray-project.github.io/kuberay-helm/" };

    it("names the chart in the official repository by default", () => {
        expect(chartSource(official)).toEqual({
            chart: "kuberay-operator",
            version: "1.7.0",
            repositoryOpts: { repo: "https://ray-project.github.io/kuberay-helm/" },
        });
    });

    it("names it in a mirror the same way", () => {
        expect(chartSource({ chartVersion: "1.6.0", chartRepository: "https://nexus.example.com/repository/helm-kuberay/" })).toEqual({
            chart: "kuberay-operator",
            version: "1.6.0",
            repositoryOpts: { repo: "https://nexus.example.com/repository/helm-kuberay/" },
        });
    });

    it("addresses it by reference in an OCI registry, without repositoryOpts", () => {
        expect(chartSource({ chartVersion: "1.7.0", chartRepository: "oci://registry.example.com/charts/" })).toEqual({
            chart: "oci://registry.example.com/charts/kuberay-operator",
            version: "1.7.0",
        });
        expect(chartSource({ chartVersion: "1.7.0", chartRepository: "oci://registry.example.com" }).chart).toBe("oci://registry.example.com/kuberay-operator");
    });

    it("uses a local chart by its path alone: Helm ignores a version there, and the repository is not used", () => {
        expect(chartSource({ ...official, chartPath: "/srv/charts/kuberay-operator" })).toEqual({ chart: "/srv/charts/kuberay-operator" });
        expect(chartSource({ ...official, chartPath: "/srv/charts/kuberay-operator-1.7.0.tgz" })).toEqual({ chart: "/srv/charts/kuberay-operator-1.7.0.tgz" });
    });
});

describe("buildRayCluster", () => {
    const cluster = buildRayCluster(options);
    const head = cluster.spec.headGroupSpec;

    it("is valid against the KubeRay v1.7.0 RayCluster CRD", () => {
        expect(validateRayCluster(cluster)).toEqual([]);
    });

    it("and the schema check is real: misspelt or mistyped fields fail", () => {
        const typo = structuredClone(cluster) as any;
        typo.spec.workerGroupSpec = typo.spec.workerGroupSpecs;
        expect(validateRayCluster(typo)).toContain("/spec: must NOT have additional properties (workerGroupSpec)");
        const mistyped = structuredClone(cluster) as any;
        mistyped.spec.workerGroupSpecs[0].replicas = "1";
        expect(validateRayCluster(mistyped)).toContain("/spec/workerGroupSpecs/0/replicas: must be integer");
    });

    it("runs the configured Ray version and image everywhere", () => {
        expect(cluster.spec.rayVersion).toBe("2.52.0");
        const images = rayClusterPods(cluster.spec).flatMap((pod) => [...pod.spec.containers, ...(pod.spec.initContainers ?? [])].map((c) => c.image));
        expect(new Set(images)).toEqual(new Set(["rayproject/ray:2.52.0"]));
    });

    it("gives the head the tutorial's ports, dashboard host, preStop and /tmp/ray emptyDir", () => {
        const container = head.template.spec.containers[0];
        expect(container.name).toBe("ray-head");
        expect(container.ports).toEqual([
            { containerPort: 6379, name: "gcs" },
            { containerPort: 8265, name: "dashboard" },
            { containerPort: 10001, name: "client" },
        ]);
        expect(head.rayStartParams).toEqual({ "dashboard-host": "0.0.0.0" });
        expect(container.lifecycle).toEqual({ preStop: { exec: { command: ["/bin/sh", "-c", "ray stop"] } } });
        expect(container.volumeMounts).toContainEqual({ mountPath: "/tmp/ray", name: "ray-logs" });
        expect(head.template.spec.volumes).toContainEqual({ name: "ray-logs", emptyDir: {} });
        expect(container.resources).toEqual({ requests: { cpu: "1", memory: "2Gi" }, limits: { cpu: "1", memory: "2Gi" } });
    });

    it("builds one worker group per configured group", () => {
        expect(cluster.spec.workerGroupSpecs?.map((g) => [g.groupName, g.replicas, g.minReplicas, g.maxReplicas])).toEqual([
            ["small-group", 1, 1, 5],
            ["big", 2, 0, 4],
        ]);
        const big = cluster.spec.workerGroupSpecs![1].template.spec.containers[0];
        expect(big.resources).toEqual({ requests: { cpu: "4", memory: "8Gi" }, limits: { cpu: "4", memory: "8Gi" } });
        expect(big.lifecycle).toEqual({ preStop: { exec: { command: ["/bin/sh", "-c", "ray stop"] } } });
    });

    it("leaves autoscaling off unless asked", () => {
        expect(cluster.spec).not.toHaveProperty("enableInTreeAutoscaling");
        expect(cluster.spec).not.toHaveProperty("autoscalerOptions");
    });

    it("hardens the autoscaler sidecar through autoscalerOptions when autoscaling is on", () => {
        const autoscaling = buildRayCluster({ ...options, autoscaling: true });
        expect(validateRayCluster(autoscaling)).toEqual([]);
        expect(autoscaling.spec.enableInTreeAutoscaling).toBe(true);
        const headPod = rayClusterPods(autoscaling.spec)[0];
        expect(headPod.spec.containers.map((c) => [c.name, c.securityContext])).toEqual([
            ["ray-head", RESTRICTED_CONTAINER],
            ["autoscaler", RESTRICTED_CONTAINER],
        ]);
    });

    it("names the head Service the way KubeRay does and asks Pulumi to wait for provisioning", () => {
        expect(headServiceName("rc")).toBe("rc-head-svc");
        expect(readinessAnnotations(120)).toEqual({ "pulumi.com/waitFor": "condition=RayClusterProvisioned", "pulumi.com/timeoutSeconds": "120" });
    });
});

describe("rayClusterPods (the operator's injections)", () => {
    it("copies the Ray container's securityContext into wait-gcs-ready, after the user's init containers", () => {
        const cluster = buildRayCluster(options);
        cluster.spec.workerGroupSpecs![0].template.spec.initContainers = [{ name: "user-init", image: "busybox" }];
        const worker = rayClusterPods(cluster.spec)[1];
        expect(worker.spec.initContainers?.map((c) => c.name)).toEqual(["user-init", "wait-gcs-ready"]);
        expect(worker.spec.initContainers?.[1].securityContext).toEqual(RESTRICTED_CONTAINER);
    });

    it("gives the autoscaler no securityContext when autoscalerOptions has none", () => {
        const cluster = buildRayCluster({ ...options, autoscaling: true });
        delete cluster.spec.autoscalerOptions!.securityContext;
        expect(rayClusterPods(cluster.spec)[0].spec.containers[1]).toEqual({ name: "autoscaler", image: "rayproject/ray:2.52.0" });
    });

    it("injects nothing into workers when the operator has init container injection off", () => {
        const worker = rayClusterPods(buildRayCluster(options).spec, { initContainerInjection: false })[1];
        expect(worker.spec.initContainers).toBeUndefined();
    });
});

describe("buildExampleConfigMap", () => {
    const configMap = buildExampleConfigMap("ray-example");

    it("holds the example script under the key the RayCluster mounts", () => {
        expect(Object.keys(configMap.data)).toEqual(["xgboost_example.py"]);
        expect(EXAMPLE_SCRIPT_PATH).toBe("/home/ray/samples/xgboost_example.py");
    });

    it("carries a script written for current Ray: Train V2 form, no ray.air, xgboost installed at run time", () => {
        const script = configMap.data["xgboost_example.py"];
        expect(script).not.toMatch(/ray\.air/);
        expect(script).not.toMatch(/label_column=/);
        expect(script).toMatch(/from ray\.train import ScalingConfig/);
        expect(script).toMatch(/XGBoostTrainer\(\s*train_loop_per_worker/);
        expect(script).toMatch(/pip", "install"/);
        expect(script).toMatch(/"s3:\/\/anonymous@air-example-data\/breast_cancer\.csv"/);
        expect(script).toMatch(/XGBOOST_EXAMPLE_DATA/);
    });
});

describe("the example script", () => {
    it("is valid Python", () => {
        const { spawnSync } = require("child_process") as typeof import("child_process");
        const result = spawnSync("python3", ["-c", "import ast, sys; ast.parse(sys.stdin.read())"], {
            input: buildExampleConfigMap("x").data["xgboost_example.py"],
            encoding: "utf8",
        });
        expect(result.error, "python3 must be on PATH").toBeUndefined();
        expect(result.stderr).toBe("");
        expect(result.status).toBe(0);
    });
});
