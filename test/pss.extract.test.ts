import { describe, expect, it } from "vitest";
import { extractPods } from "../pss/extract";

const podSpec = (name: string) => ({ containers: [{ name, image: "busybox" }] });
const template = (name: string) => ({ metadata: { labels: { app: name } }, spec: podSpec(name) });

function pods(manifest: unknown) {
    const extraction = extractPods(manifest);
    if (!extraction.evaluated) {
        throw new Error(`skipped: ${extraction.reason}`);
    }
    return extraction.pods;
}

const rayClusterSpec = {
    headGroupSpec: { rayStartParams: {}, template: { metadata: { annotations: { a: "b" } }, spec: { containers: [{ name: "ray-head", image: "rayproject/ray:2.52.0" }] } } },
    workerGroupSpecs: [
        { groupName: "cpu", replicas: 1, minReplicas: 1, maxReplicas: 1, rayStartParams: {}, template: { spec: { containers: [{ name: "ray-worker", image: "rayproject/ray:2.52.0", securityContext: { runAsNonRoot: true } }] } } },
    ],
};

describe("extractPods", () => {
    it("takes a Pod as it is", () => {
        const pod = { apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: podSpec("c") };
        expect(pods(pod)).toEqual([{ pod: "", metadata: { name: "p" }, spec: podSpec("c"), source: { specPath: ["spec"] } }]);
    });

    it.each(["Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "ReplicationController"])("takes the Pod template of a %s", (kind) => {
        expect(pods({ apiVersion: "apps/v1", kind, metadata: { name: "w" }, spec: { template: template("c") } })).toEqual([
            { pod: "template", metadata: { labels: { app: "c" } }, spec: podSpec("c"), source: { specPath: ["spec", "template", "spec"] } },
        ]);
    });

    it("takes a CronJob's job template and a PodTemplate's template", () => {
        expect(pods({ apiVersion: "batch/v1", kind: "CronJob", spec: { jobTemplate: { spec: { template: template("cron") } } } })[0].spec).toEqual(podSpec("cron"));
        expect(pods({ apiVersion: "v1", kind: "PodTemplate", template: template("pt") })[0].spec).toEqual(podSpec("pt"));
    });

    it("builds a RayCluster's head and worker Pods as the operator does", () => {
        const result = pods({ apiVersion: "ray.io/v1", kind: "RayCluster", metadata: { name: "rc" }, spec: rayClusterSpec });
        expect(result.map((p) => p.pod)).toEqual(["head", "worker/cpu"]);
        expect(result[0].metadata).toEqual({ annotations: { a: "b" } });
        expect(result[1].spec.initContainers).toEqual([{ name: "wait-gcs-ready", image: "rayproject/ray:2.52.0", securityContext: { runAsNonRoot: true } }]);
    });

    it("builds a RayJob's cluster and its default submitter, which has no securityContext", () => {
        const result = pods({ apiVersion: "ray.io/v1", kind: "RayJob", spec: { entrypoint: "python x.py", rayClusterSpec } });
        expect(result.map((p) => p.pod)).toEqual(["head", "worker/cpu", "submitter"]);
        expect(result[2].spec.containers).toEqual([{ name: "ray-job-submitter", image: "rayproject/ray:2.52.0" }]);
    });

    it("uses a RayJob's submitterPodTemplate when given", () => {
        const result = pods({ apiVersion: "ray.io/v1", kind: "RayJob", spec: { rayClusterSpec, submitterPodTemplate: template("my-submitter") } });
        expect(result[2]).toEqual({
            pod: "submitter",
            metadata: { labels: { app: "my-submitter" } },
            spec: podSpec("my-submitter"),
            source: { specPath: ["spec", "submitterPodTemplate", "spec"], containers: {} },
        });
    });

    it("says where each Pod's spec, and each injected container, is in the manifest", () => {
        const cluster = pods({ apiVersion: "ray.io/v1", kind: "RayCluster", spec: rayClusterSpec });
        // No autoscaler without in-tree autoscaling: a user's own container of that name stays the user's.
        expect(cluster.map((p) => p.source)).toEqual([
            { specPath: ["spec", "headGroupSpec", "template", "spec"], containers: {} },
            { specPath: ["spec", "workerGroupSpecs", 0, "template", "spec"], containers: { "wait-gcs-ready": ["spec", "workerGroupSpecs", 0, "template", "spec", "containers", 0] } },
        ]);
        const job = pods({ apiVersion: "ray.io/v1", kind: "RayJob", spec: { submissionMode: "SidecarMode", rayClusterSpec: { ...rayClusterSpec, enableInTreeAutoscaling: true } } });
        expect(job[0].source).toEqual({
            specPath: ["spec", "rayClusterSpec", "headGroupSpec", "template", "spec"],
            containers: { autoscaler: ["spec", "rayClusterSpec", "autoscalerOptions"], "ray-job-submitter": ["spec", "submissionMode"] },
        });
        const service = pods({ apiVersion: "ray.io/v1", kind: "RayService", spec: { rayClusterConfig: rayClusterSpec } });
        expect(service[1].source.specPath).toEqual(["spec", "rayClusterConfig", "workerGroupSpecs", 0, "template", "spec"]);
        expect(pods({ apiVersion: "ray.io/v1", kind: "RayJob", spec: { rayClusterSpec } })[2].source).toEqual({
            specPath: ["spec", "submitterPodTemplate"],
            containers: { "ray-job-submitter": ["spec", "submitterPodTemplate"] },
        });
    });

    it("puts the submitter inside the head Pod in SidecarMode, and runs none in HTTPMode", () => {
        const sidecar = pods({ apiVersion: "ray.io/v1", kind: "RayJob", spec: { submissionMode: "SidecarMode", rayClusterSpec } });
        expect(sidecar.map((p) => p.pod)).toEqual(["head", "worker/cpu"]);
        expect(sidecar[0].spec.containers.map((c: { name: string }) => c.name)).toEqual(["ray-head", "ray-job-submitter"]);
        expect(pods({ apiVersion: "ray.io/v1", kind: "RayJob", spec: { submissionMode: "HTTPMode", rayClusterSpec } }).map((p) => p.pod)).toEqual(["head", "worker/cpu"]);
    });

    it("evaluates only the submitter of a RayJob that selects an existing cluster", () => {
        const result = pods({ apiVersion: "ray.io/v1", kind: "RayJob", spec: { clusterSelector: { "ray.io/cluster": "x" }, submitterPodTemplate: template("s") } });
        expect(result.map((p) => p.pod)).toEqual(["submitter"]);
    });

    it("builds a RayService's cluster from rayClusterConfig", () => {
        expect(pods({ apiVersion: "ray.io/v1", kind: "RayService", spec: { rayClusterConfig: rayClusterSpec } }).map((p) => p.pod)).toEqual(["head", "worker/cpu"]);
    });

    it("skips what carries no Pod, saying why", () => {
        expect(extractPods({ apiVersion: "v1", kind: "Service", metadata: { name: "s" } })).toEqual({ evaluated: false, reason: "Service does not carry a Pod" });
        expect(extractPods({ apiVersion: "apps/v1", kind: "Deployment", spec: {} })).toEqual({ evaluated: false, reason: "no Pod template to evaluate" });
        expect(extractPods({ apiVersion: "example.com/v1", kind: "RayCluster", spec: rayClusterSpec })).toEqual({ evaluated: false, reason: "RayCluster does not carry a Pod" });
        expect(extractPods("text")).toEqual({ evaluated: false, reason: "not a Kubernetes object" });
        expect(extractPods({ apiVersion: "v1" })).toEqual({ evaluated: false, reason: "no kind" });
    });
});

describe("extractPods on malformed Ray objects", () => {
    it("says what is wrong instead of failing", () => {
        const noTemplate = { apiVersion: "ray.io/v1", kind: "RayCluster", spec: { ...rayClusterSpec, workerGroupSpecs: [{ groupName: "g" }] } };
        expect(extractPods(noTemplate)).toEqual({ evaluated: false, reason: "spec.workerGroupSpecs[0].template.spec.containers is missing or empty", invalid: true });
        const notAList = { apiVersion: "ray.io/v1", kind: "RayService", spec: { rayClusterConfig: { ...rayClusterSpec, workerGroupSpecs: { groupName: "g" } } } };
        expect(extractPods(notAList)).toEqual({ evaluated: false, reason: "spec.rayClusterConfig.workerGroupSpecs is not a list", invalid: true });
    });

    it("puts the SidecarMode submitter before the autoscaler, as the operator builds the head Pod", () => {
        const spec = { submissionMode: "SidecarMode", rayClusterSpec: { ...rayClusterSpec, enableInTreeAutoscaling: true } };
        const head = pods({ apiVersion: "ray.io/v1", kind: "RayJob", spec })[0];
        expect(head.spec.containers.map((c: { name: string }) => c.name)).toEqual(["ray-head", "ray-job-submitter", "autoscaler"]);
    });
});
