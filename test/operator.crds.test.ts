import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { crdSetProvider, CrdSetInputs, DRIFTED } from "../components/operator/crdSet";
import { cachedRender, chartIdentity, crdCacheDir, keepRender } from "../components/operator/crdRender";
import { annotatedCrd, chartCrds, CHART_VERSION_ANNOTATION, CrdObject, crdDigest, CRD_DIGEST_ANNOTATION, newerCrdProblem } from "../components/operator/crds";
import { compareVersions } from "../lib/versions";

function crd(name: string, versions: string[], extra: { annotations?: Record<string, string>; storedVersions?: string[] } = {}): CrdObject {
    return {
        apiVersion: "apiextensions.k8s.io/v1",
        kind: "CustomResourceDefinition",
        metadata: { name, ...(extra.annotations ? { annotations: extra.annotations } : {}) },
        spec: { group: "ray.io", versions: versions.map((version) => ({ name: version, served: true, storage: version === versions[0] })) },
        ...(extra.storedVersions ? { status: { storedVersions: extra.storedVersions } } : {}),
    };
}

describe("the chart's CRDs as one set", () => {
    it("picks the CRDs out of a rendered chart, sorted by name", () => {
        const rendered = [crd("rayjobs.ray.io", ["v1"]), { kind: "Deployment", metadata: { name: "kuberay-operator" } }, null, crd("rayclusters.ray.io", ["v1"])];
        expect(chartCrds(rendered).map((c) => c.metadata.name)).toEqual(["rayclusters.ray.io", "rayjobs.ray.io"]);
    });

    it("names them by a digest that changes with any field and only then", () => {
        const a = [crd("rayclusters.ray.io", ["v1"])];
        expect(crdDigest(a)).toMatch(/^[0-9a-f]{16}$/);
        expect(crdDigest(structuredClone(a))).toBe(crdDigest(a));
        expect(crdDigest([crd("rayclusters.ray.io", ["v1", "v2"])])).not.toBe(crdDigest(a));
    });

    it("applies each with its chart version and digest as annotations, keeping the chart's own", () => {
        const annotated = annotatedCrd(crd("rayclusters.ray.io", ["v1"], { annotations: { "controller-gen.kubebuilder.io/version": "v0.16.5" } }), "1.7.0", "abc");
        expect(annotated.metadata.annotations).toEqual({ "controller-gen.kubebuilder.io/version": "v0.16.5", [CHART_VERSION_ANNOTATION]: "1.7.0", [CRD_DIGEST_ANNOTATION]: "abc" });
    });

    it("keeps rendered CRDs in $XDG_CACHE_HOME when it is absolute, else in ~/.cache", () => {
        expect(crdCacheDir({ home: "/home/u", xdgCacheHome: "/var/cache/u" })).toBe("/var/cache/u/kuberay-pod-security/crds");
        expect(crdCacheDir({ home: "/home/u", xdgCacheHome: "relative" })).toBe("/home/u/.cache/kuberay-pod-security/crds");
        expect(crdCacheDir({ home: "/home/u" })).toBe("/home/u/.cache/kuberay-pod-security/crds");
    });
});

describe("never older CRDs over newer ones", () => {
    const ours = crd("rayclusters.ray.io", ["v1"]);

    it("allows a first install, the same chart, an older chart's CRDs and CRDs nobody annotated with the same versions", () => {
        expect(newerCrdProblem(undefined, ours, "1.7.0")).toBeUndefined();
        expect(newerCrdProblem(crd("rayclusters.ray.io", ["v1"], { annotations: { [CHART_VERSION_ANNOTATION]: "1.7.0" } }), ours, "1.7.0")).toBeUndefined();
        expect(newerCrdProblem(crd("rayclusters.ray.io", ["v1"], { annotations: { [CHART_VERSION_ANNOTATION]: "1.6.1" } }), ours, "1.7.0")).toBeUndefined();
        expect(newerCrdProblem(crd("rayclusters.ray.io", ["v1"], { storedVersions: ["v1"] }), ours, "1.7.0")).toBeUndefined();
    });

    it("refuses CRDs a newer chart applied, naming both versions and the key to change", () => {
        const problem = newerCrdProblem(crd("rayclusters.ray.io", ["v1"], { annotations: { [CHART_VERSION_ANNOTATION]: "1.10.0" } }), ours, "1.7.0");
        expect(problem).toBe(
            "CRD rayclusters.ray.io on the cluster is from kuberay-operator chart 1.10.0, newer than 1.7.0 (operator.chartVersion): set operator.chartVersion to that chart version or later (CRDs are never downgraded: objects stored by the newer one could become unreadable).",
        );
    });

    it("refuses CRDs that serve or have stored a version the chart does not define, whoever applied them", () => {
        expect(newerCrdProblem(crd("rayclusters.ray.io", ["v2", "v1"]), ours, "1.7.0")).toMatch(/^CRD rayclusters\.ray\.io on the cluster \(not applied by this program\) has version\(s\) v2 that kuberay-operator chart 1\.7\.0 \(operator\.chartVersion\) does not define: it is newer;/);
        expect(newerCrdProblem(crd("rayclusters.ray.io", ["v1"], { storedVersions: ["v1alpha1", "v1"] }), ours, "1.7.0")).toMatch(/has version\(s\) v1alpha1 /);
    });

    it("compares versions part by part, numerically, a pre-release before its release", () => {
        expect(compareVersions("1.10.0", "1.9.1")).toBe(1);
        expect(compareVersions("v1.7.0", "1.7.0")).toBe(0);
        expect(compareVersions("1.7", "1.7.0")).toBe(0);
        expect(compareVersions("1.7.0-rc.1", "1.7.0")).toBe(-1);
        expect(compareVersions("1.7.0", "1.7.0-rc.1")).toBe(1);
        expect(compareVersions("1.6.9", "1.7.0")).toBe(-1);
        expect(compareVersions("1.7.0-rc.10", "1.7.0-rc.2")).toBe(1);
    });
});

describe("the CRD set's diff: strings only, no cluster", () => {
    const inputs: CrdSetInputs = { chartVersion: "1.7.0", digest: "abc", names: ["rayclusters.ray.io"], crdFile: "/a/file.json", kubeconfig: "apiVersion: v1\nkind: Config\n", kubeconfigPath: "", context: "", deleteUnreachable: false };

    it("no change when only the machine-local file differs", async () => {
        expect(await crdSetProvider.diff!("id", inputs, { ...inputs, crdFile: "/other/machine/file.json" })).toMatchObject({ changes: false, replaces: [] });
        // A kubeconfig file's path is another user's home on another machine, the same cluster.
        expect(await crdSetProvider.diff!("id", { ...inputs, kubeconfigPath: "/home/a/.kube/config" }, { ...inputs, kubeconfigPath: "/home/b/.kube/config" })).toMatchObject({ changes: false });
    });

    it("an update, never a replacement, when the chart, the CRDs or the cluster change", async () => {
        for (const change of [{ chartVersion: "1.7.1" }, { digest: "def" }, { names: ["a.ray.io", "rayclusters.ray.io"] }, { kubeconfig: "apiVersion: v1\nkind: Config\nclusters: []\n" }, { context: "prod" }]) {
            expect(await crdSetProvider.diff!("id", inputs, { ...inputs, ...change }), JSON.stringify(change)).toMatchObject({ changes: true, replaces: [] });
        }
    });
});

describe("rendered CRDs kept in the cache", () => {
    const crds = [crd("rayclusters.ray.io", ["v1"])];
    const repository = { chartVersion: "1.7.0", chartRepository: "https://ray-project.github.io/kuberay-helm/" };

    it("a chart rendered once is found again by its identity, until its CRD file is gone", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "krps-render-"));
        try {
            const identity = chartIdentity(repository, "ray", "kuberay-operator");
            expect(cachedRender(dir, identity)).toBeUndefined();
            const kept = keepRender(dir, identity, "1.7.0", crdDigest(crds), crds);
            expect(kept).toEqual({ digest: crdDigest(crds), names: ["rayclusters.ray.io"], crdFile: path.join(dir, `kuberay-operator-1.7.0-${crdDigest(crds)}.json`) });
            expect(JSON.parse(fs.readFileSync(kept.crdFile, "utf8"))).toEqual(crds);
            expect(cachedRender(dir, identity)).toEqual(kept);
            fs.rmSync(kept.crdFile);
            expect(cachedRender(dir, identity)).toBeUndefined();
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("the identity changes with the source, the version, the namespace, and a local chart's files", () => {
        const base = chartIdentity(repository, "ray", "kuberay-operator");
        expect(chartIdentity({ ...repository }, "ray", "kuberay-operator")).toBe(base);
        expect(chartIdentity({ ...repository, chartVersion: "1.7.1" }, "ray", "kuberay-operator")).not.toBe(base);
        expect(chartIdentity({ ...repository, chartRepository: "oci://registry.example.com/charts" }, "ray", "kuberay-operator")).not.toBe(base);
        expect(chartIdentity(repository, "other", "kuberay-operator")).not.toBe(base);
        const chart = fs.mkdtempSync(path.join(os.tmpdir(), "krps-chart-"));
        try {
            fs.mkdirSync(path.join(chart, "crds"));
            fs.writeFileSync(path.join(chart, "crds", "a.yaml"), "one");
            const local = { ...repository, chartPath: chart };
            const before = chartIdentity(local, "ray", "kuberay-operator");
            expect(chartIdentity(local, "ray", "kuberay-operator")).toBe(before);
            fs.writeFileSync(path.join(chart, "crds", "a.yaml"), "longer");
            expect(chartIdentity(local, "ray", "kuberay-operator")).not.toBe(before);
        } finally {
            fs.rmSync(chart, { recursive: true, force: true });
        }
    });
});

describe("the CRD set when the cluster cannot be reached", () => {
    // Loopback port 1: nothing listens, the connection is refused at once.
    const unreachable = "apiVersion: v1\nkind: Config\nclusters:\n- name: gone\n  cluster: {server: 'https://127.0.0.1:1'}\ncontexts:\n- name: gone\n  context: {cluster: gone, user: u}\ncurrent-context: gone\nusers:\n- name: u\n  user: {token: t}\n";
    const inputs: CrdSetInputs = { chartVersion: "1.7.0", digest: "abc", names: ["rayclusters.ray.io"], crdFile: "/a/file.json", kubeconfig: unreachable, kubeconfigPath: "", context: "", deleteUnreachable: true };

    it("a disposable cluster already gone: destroy finishes, refresh reports the set drifted", async () => {
        await expect(crdSetProvider.delete!("id", inputs)).resolves.toBeUndefined();
        expect((await crdSetProvider.read!("id", inputs)).props.digest).toBe(DRIFTED);
    });

    it("any other cluster: the connection error is the command's error", async () => {
        await expect(crdSetProvider.delete!("id", { ...inputs, deleteUnreachable: false })).rejects.toThrow(/ECONNREFUSED|connect/);
        await expect(crdSetProvider.read!("id", { ...inputs, deleteUnreachable: false })).rejects.toThrow(/ECONNREFUSED|connect/);
    });
});
