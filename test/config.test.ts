import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ConfigError } from "../config/problems";
import { CONFIG_KEYS, ConfigKey, DEFAULT_KIND_NODE_IMAGE } from "../config/schema";
import { defaultKindClusterName, loadStackConfig } from "../config/stackConfig";
import { configTree, ConfigTree } from "../config/tree";
import { PROJECT_DIR } from "./support/paths";
import { ConfigEnvironment } from "../config/environment";

/** A small file system for operator.chartPath: chart directories (with their Chart.yaml) and files. */
const CHART_YAML = "apiVersion: v2\nname: kuberay-operator\nversion: 1.7.0\ntype: application\n";
const FILES: Record<string, string> = {
    "/home/user/.kube/config": "",
    "/home/user/charts/kuberay-operator/Chart.yaml": CHART_YAML,
    "/home/user/charts/kuberay-operator-1.6/Chart.yaml": CHART_YAML.replace("1.7.0", "1.6.0"),
    "/home/user/charts/unversioned/Chart.yaml": "apiVersion: v2\nname: kuberay-operator\n",
    "/home/user/charts/nginx/Chart.yaml": CHART_YAML.replace("kuberay-operator", "nginx"),
    "/home/user/charts/broken/Chart.yaml": "name: [kuberay-operator\n",
    "/home/user/charts/kuberay-operator-1.7.0.tgz": "",
    "/home/user/charts/kuberay-operator-1.7.0.zip": "",
    "/home/user/images/ray.tar": "",
    "/home/user/images/kuberay.tar": "",
    "/home/user/images/kuberay-operator.oci.tar": "",
};
const DIRECTORIES = ["/home/user/charts", "/home/user/images", ...Object.keys(FILES).filter((f) => f.endsWith("/Chart.yaml")).map((f) => path.dirname(f))];

const env: ConfigEnvironment = {
    stack: "dev",
    resolvePath: (file) => path.resolve("/home/user", file),
    isReadableFile: (file) => file in FILES,
    isDirectory: (file) => DIRECTORIES.includes(file),
    readFile: (file) => FILES[file],
};

function problems(tree: ConfigTree, environment = env): string[] {
    try {
        loadStackConfig(tree, environment);
    } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as ConfigError).problems;
    }
    throw new Error("configuration was accepted");
}

describe("loadStackConfig: defaults", () => {
    it("gives the tutorial's setup when nothing is set", () => {
        expect(loadStackConfig({}, env)).toEqual({
            cluster: {
                mode: "kind",
                name: "kuberay-dev",
                nodeImage: DEFAULT_KIND_NODE_IMAGE,
                kubeadmConfigPatches: [],
                containerdConfigPatches: [],
                imageArchives: [],
                localImages: [],
            },
            namespace: "pod-security",
            namespaceMode: "create",
            podSecurity: { level: "restricted", version: "latest", failOnViolation: true },
            operator: { chartVersion: "1.7.0", clusterWide: false, chartRepository: "https://ray-project.github.io/kuberay-helm/", chartPath: undefined },
            ray: {
                variant: "pod-security",
                clusterName: "raycluster-pod-security",
                version: "2.52.0",
                image: "rayproject/ray:2.52.0",
                head: { cpu: "1", memory: "2Gi" },
                workerGroups: [{ name: "small-group", replicas: 1, minReplicas: 1, maxReplicas: 5, cpu: "1", memory: "2Gi" }],
                autoscaling: false,
                readyTimeoutSeconds: 600,
            },
        });
    });

    it("accepts values spelt as strings, as `pulumi config set` stores them", () => {
        const config = loadStackConfig(
            { operator: { clusterWide: "true" }, ray: { readyTimeoutSeconds: "90", head: { cpu: 2 }, workerGroups: '[{"name":"a","replicas":"2"}]' } },
            env,
        );
        expect(config.operator.clusterWide).toBe(true);
        expect(config.ray.readyTimeoutSeconds).toBe(90);
        expect(config.ray.head.cpu).toBe("2");
        expect(config.ray.workerGroups).toEqual([{ name: "a", replicas: 2, minReplicas: 2, maxReplicas: 2, cpu: "1", memory: "2Gi" }]);
    });

    it("reads an existing cluster's kubeconfig path (with ~) and context", () => {
        const config = loadStackConfig({ cluster: { mode: "existing", kubeconfig: ".kube/config", context: "prod" } }, env);
        expect(config.cluster).toEqual({ mode: "existing", kubeconfig: "/home/user/.kube/config", context: "prod" });
        expect(loadStackConfig({ cluster: { mode: "existing" } }, env).cluster).toEqual({ mode: "existing", kubeconfig: undefined, context: undefined });
    });

    it("reads kind's config patches as they are, and the images to load, archive paths made absolute", () => {
        const kubelet = "kind: KubeletConfiguration\nfailCgroupV1: false\n";
        const proxy = "apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: nftables\n";
        const containerd = '[plugins."io.containerd.grpc.v1.cri"]\n  restrict_oom_score_adj = true\n';
        const cluster = loadStackConfig(
            {
                cluster: {
                    kubeadmConfigPatches: [kubelet, proxy],
                    containerdConfigPatches: [containerd, "version = 2"],
                    imageArchives: ["images/ray.tar", "/home/user/images/kuberay-operator.oci.tar"],
                    localImages: ["rayproject/ray:2.52.0", "quay.io/kuberay/operator:v1.7.0@sha256:" + "b".repeat(64)],
                },
            },
            env,
        ).cluster;
        expect(cluster).toEqual({
            mode: "kind",
            name: "kuberay-dev",
            nodeImage: DEFAULT_KIND_NODE_IMAGE,
            kubeadmConfigPatches: [kubelet, proxy],
            containerdConfigPatches: [containerd, "version = 2"],
            imageArchives: ["/home/user/images/ray.tar", "/home/user/images/kuberay-operator.oci.tar"],
            localImages: ["rayproject/ray:2.52.0", "quay.io/kuberay/operator:v1.7.0@sha256:" + "b".repeat(64)],
        });
    });

    it("takes the lists as Pulumi.yaml's defaults give them (empty) and as a literal key's JSON", () => {
        const tree = configTree({ "p:cluster": JSON.stringify({ mode: "kind", localImages: [] }), "p:cluster.imageArchives": '["images/ray.tar"]' }, "p");
        expect(loadStackConfig(tree, env).cluster).toMatchObject({ localImages: [], imageArchives: ["/home/user/images/ray.tar"] });
    });

    it("accepts the kind-only lists empty in an existing cluster", () => {
        const empty = { kubeadmConfigPatches: [], containerdConfigPatches: [], imageArchives: [], localImages: [] };
        expect(loadStackConfig({ cluster: { mode: "existing", ...empty } }, env).cluster).toEqual({ mode: "existing", kubeconfig: undefined, context: undefined });
    });

    it("accepts Ray flavour tags and registries with ports", () => {
        const image = "localhost:5000/team/ray:2.52.0-py311-cpu@sha256:" + "a".repeat(64);
        expect(loadStackConfig({ ray: { image } }, env).ray.image).toBe(image);
    });

    it("accepts a chart repository mirror or an OCI registry", () => {
        for (const chartRepository of ["https://nexus.example.com/repository/helm-kuberay/", "http://chartmuseum.internal:8080", "oci://registry.example.com/charts"]) {
            expect(loadStackConfig({ operator: { chartRepository } }, env).operator).toMatchObject({ chartRepository, chartPath: undefined });
        }
    });

    it("resolves a local chart directory or package to an absolute path", () => {
        expect(loadStackConfig({ operator: { chartPath: "charts/kuberay-operator" } }, env).operator.chartPath).toBe("/home/user/charts/kuberay-operator");
        expect(loadStackConfig({ operator: { chartPath: "charts/kuberay-operator-1.7.0.tgz" } }, env).operator.chartPath).toBe("/home/user/charts/kuberay-operator-1.7.0.tgz");
        // A directory is checked against operator.chartVersion, so an older chart is used by setting both.
        expect(loadStackConfig({ operator: { chartPath: "charts/kuberay-operator-1.6", chartVersion: "1.6.0" } }, env).operator.chartPath).toBe(
            "/home/user/charts/kuberay-operator-1.6",
        );
    });

    it("adopts an existing namespace in an existing cluster, and accepts names that only look like system ones", () => {
        const existing = { mode: "existing", kubeconfig: ".kube/config" };
        expect(loadStackConfig({ cluster: existing, namespace: "team-ml", namespaceMode: "adopt" }, env)).toMatchObject({ namespace: "team-ml", namespaceMode: "adopt" });
        expect(loadStackConfig({ cluster: existing, namespace: "team-ml", namespaceMode: "create" }, env)).toMatchObject({ namespaceMode: "create" });
        for (const namespace of ["kuberay", "kube", "default-ray", "my-kube-system"]) {
            expect(loadStackConfig({ namespace }, env).namespace).toBe(namespace);
        }
    });

    it("derives a kind-safe cluster name from the stack", () => {
        expect(defaultKindClusterName("Team_A.Dev")).toBe("kuberay-team-a.dev");
        expect(loadStackConfig({}, { ...env, stack: "My Stack" }).cluster).toMatchObject({ name: "kuberay-my-stack" });
    });
});

describe("loadStackConfig: every bad value gets one exact message", () => {
    const REPOSITORY_RULE =
        'an absolute http://, https:// or oci:// URL with a host and no user:password (it would be kept in the stack\'s state in clear), such as "https://charts.example.com/kuberay/" or "oci://registry.example.com/charts"';
    const CHART_PATH_RULE = "the path of a kuberay-operator chart: a chart directory holding Chart.yaml, or a packaged chart ending in .tgz";
    const KUBEADM_PATCH_RULE =
        'a kubeadm config patch: one YAML mapping whose "kind" is one of ClusterConfiguration, InitConfiguration, JoinConfiguration, KubeletConfiguration, KubeProxyConfiguration, such as "kind: KubeletConfiguration\\nfailCgroupV1: false"';
    const CONTAINERD_PATCH_RULE =
        'a containerd config patch: a TOML fragment with a [section] header or a key = value line, such as "[plugins.\\"io.containerd.grpc.v1.cri\\"]\\n  restrict_oom_score_adj = true"';
    const IMAGE_ARCHIVE_RULE = "the path of a readable image archive: a docker save or OCI tarball";
    const cases: [string, ConfigTree, string][] = [
        ["unknown cluster mode", { cluster: { mode: "minikube" } }, 'Configuration "cluster.mode": "minikube" is not allowed; it must be "kind" or "existing".'],
        [
            "uppercase kind cluster name",
            { cluster: { name: "My_Cluster" } },
            `Configuration "cluster.name": "My_Cluster" is not allowed; it must be a kind cluster name: lowercase letters, digits, '.' and '-', starting and ending with a letter or digit, at most 49 characters.`,
        ],
        [
            "stack name too long for a default cluster name",
            {},
            `Configuration "cluster.name" is empty and the name derived from stack "${"x".repeat(50)}" ("kuberay-${"x".repeat(50)}") is not usable; set cluster.name to a kind cluster name: lowercase letters, digits, '.' and '-', starting and ending with a letter or digit, at most 49 characters.`,
        ],
        [
            "node image without a tag",
            { cluster: { nodeImage: "kindest/node" } },
            'Configuration "cluster.nodeImage": "kindest/node" is not allowed; it must be an image reference with a tag, such as "kindest/node:v1.37.0" (ideally pinned with @sha256:…).',
        ],
        [
            "kubeadm patches not a list",
            { cluster: { kubeadmConfigPatches: "kind: KubeletConfiguration" } },
            'Configuration "cluster.kubeadmConfigPatches": "kind: KubeletConfiguration" is not allowed; it must be a list, such as ["kind: KubeletConfiguration\\nfailCgroupV1: false"].',
        ],
        [
            "kubeadm patch that is not YAML: the YAML error and its line",
            { cluster: { kubeadmConfigPatches: ["kind: KubeletConfiguration\nfailCgroupV1: false", "kind: KubeletConfiguration\nfailCgroupV1: false\n  evictionHard: {}"] } },
            `Configuration "cluster.kubeadmConfigPatches[1]": "kind: KubeletConfiguration\\nfailCgroupV1: false\\n  evictionHard: {}" is not allowed; it must be ${KUBEADM_PATCH_RULE} (it is not valid YAML: Nested mappings are not allowed in compact mappings at line 2, column 15).`,
        ],
        [
            "kubeadm patch without a kind",
            { cluster: { kubeadmConfigPatches: ["failCgroupV1: false"] } },
            `Configuration "cluster.kubeadmConfigPatches[0]": "failCgroupV1: false" is not allowed; it must be ${KUBEADM_PATCH_RULE} (it has no "kind").`,
        ],
        [
            "kubeadm patch of a kind kind's kubeadm config does not have",
            { cluster: { kubeadmConfigPatches: ["kind: KubeletConfig\nfailCgroupV1: false"] } },
            `Configuration "cluster.kubeadmConfigPatches[0]": "kind: KubeletConfig\\nfailCgroupV1: false" is not allowed; it must be ${KUBEADM_PATCH_RULE} (its kind "KubeletConfig" is none of these: the patch would match no document and be ignored).`,
        ],
        [
            "kubeadm patch whose kind is not a string",
            { cluster: { kubeadmConfigPatches: ["kind: 1"] } },
            `Configuration "cluster.kubeadmConfigPatches[0]": "kind: 1" is not allowed; it must be ${KUBEADM_PATCH_RULE} (its kind 1 is not a string).`,
        ],
        [
            "kubeadm patch that is a YAML list",
            { cluster: { kubeadmConfigPatches: ["- kind: KubeletConfiguration"] } },
            `Configuration "cluster.kubeadmConfigPatches[0]": "- kind: KubeletConfiguration" is not allowed; it must be ${KUBEADM_PATCH_RULE} (it is a YAML list, not a mapping).`,
        ],
        [
            "kubeadm patch of two documents",
            { cluster: { kubeadmConfigPatches: ["kind: KubeletConfiguration\n---\nkind: KubeProxyConfiguration"] } },
            `Configuration "cluster.kubeadmConfigPatches[0]": "kind: KubeletConfiguration\\n---\\nkind: KubeProxyConfiguration" is not allowed; it must be ${KUBEADM_PATCH_RULE} (it holds 2 YAML documents; give each its own entry).`,
        ],
        [
            "kubeadm patch written as a mapping instead of a string",
            { cluster: { kubeadmConfigPatches: [{ kind: "KubeletConfiguration" }] } },
            `Configuration "cluster.kubeadmConfigPatches[0]": {"kind":"KubeletConfiguration"} is not allowed; it must be ${KUBEADM_PATCH_RULE}.`,
        ],
        ["empty kubeadm patch", { cluster: { kubeadmConfigPatches: [""] } }, `Configuration "cluster.kubeadmConfigPatches[0]": "" is not allowed; it must be ${KUBEADM_PATCH_RULE} (it is empty).`],
        ["empty containerd patch", { cluster: { containerdConfigPatches: [" \n"] } }, `Configuration "cluster.containerdConfigPatches[0]": " \\n" is not allowed; it must be ${CONTAINERD_PATCH_RULE}.`],
        [
            "containerd patch with neither a section nor a key = value",
            { cluster: { containerdConfigPatches: ["version = 2", "restrict_oom_score_adj"] } },
            `Configuration "cluster.containerdConfigPatches[1]": "restrict_oom_score_adj" is not allowed; it must be ${CONTAINERD_PATCH_RULE}.`,
        ],
        [
            "containerd patches not a list",
            { cluster: { containerdConfigPatches: 2 } },
            'Configuration "cluster.containerdConfigPatches": 2 is not allowed; it must be a list, such as ["[plugins.\\"io.containerd.grpc.v1.cri\\"]\\n  restrict_oom_score_adj = true"].',
        ],
        [
            "image archive that does not exist",
            { cluster: { imageArchives: ["images/ray.tar", "images/rayy.tar"] } },
            `Configuration "cluster.imageArchives[1]": "images/rayy.tar" is not allowed; it must be ${IMAGE_ARCHIVE_RULE} (/home/user/images/rayy.tar is not a readable file).`,
        ],
        [
            "image archive that is a directory",
            { cluster: { imageArchives: ["images"] } },
            `Configuration "cluster.imageArchives[0]": "images" is not allowed; it must be ${IMAGE_ARCHIVE_RULE} (/home/user/images is not a readable file).`,
        ],
        ["empty image archive path", { cluster: { imageArchives: [""] } }, `Configuration "cluster.imageArchives[0]": "" is not allowed; it must be ${IMAGE_ARCHIVE_RULE}.`],
        [
            "image archive path with a line break",
            { cluster: { imageArchives: ["images/ray.tar\nimages/other.tar"] } },
            `Configuration "cluster.imageArchives[0]": "images/ray.tar\\nimages/other.tar" is not allowed; it must be ${IMAGE_ARCHIVE_RULE}, at a path without line breaks.`,
        ],
        [
            "image archives as one string",
            { cluster: { imageArchives: "images/ray.tar" } },
            'Configuration "cluster.imageArchives": "images/ray.tar" is not allowed; it must be a list, such as ["images/ray.tar"].',
        ],
        [
            "local image without a tag",
            { cluster: { localImages: ["rayproject/ray:2.52.0", "rayproject/ray"] } },
            'Configuration "cluster.localImages[1]": "rayproject/ray" is not allowed; it must be an image reference with a tag, such as "rayproject/ray:2.52.0", of an image in the local Docker.',
        ],
        [
            "local image that is no image reference",
            { cluster: { localImages: ["Ray Image:latest"] } },
            'Configuration "cluster.localImages[0]": "Ray Image:latest" is not allowed; it must be an image reference with a tag, such as "rayproject/ray:2.52.0", of an image in the local Docker.',
        ],
        ...(
            [
                ["cluster.kubeadmConfigPatches", { kubeadmConfigPatches: ["kind: KubeletConfiguration\nfailCgroupV1: false"] }, '["kind: KubeletConfiguration\\nfailCgroupV1: false"]'],
                ["cluster.containerdConfigPatches", { containerdConfigPatches: ["version = 2"] }, '["version = 2"]'],
                ["cluster.imageArchives", { imageArchives: ["images/ray.tar"] }, '["images/ray.tar"]'],
                ["cluster.localImages", { localImages: ["rayproject/ray:2.52.0"] }, '["rayproject/ray:2.52.0"]'],
            ] as const
        ).map(([key, setting, shown]): [string, ConfigTree, string] => [
            `${key} in an existing cluster`,
            { cluster: { mode: "existing", ...setting } },
            `Configuration "${key}": ${shown} is not allowed; it must be empty when cluster.mode is "existing" (it applies to the kind cluster the stack creates with cluster.mode "kind").`,
        ]),
        [
            "kubeconfig in kind mode",
            { cluster: { kubeconfig: "~/.kube/config" } },
            'Configuration "cluster.kubeconfig": "~/.kube/config" is not allowed; it must be empty when cluster.mode is "kind" (set cluster.mode to "existing" to use a cluster you already have).',
        ],
        [
            "missing kubeconfig file",
            { cluster: { mode: "existing", kubeconfig: "nope.yaml" } },
            'Configuration "cluster.kubeconfig": "nope.yaml" is not allowed; it must be the path of a readable kubeconfig file (/home/user/nope.yaml is not one).',
        ],
        [
            "empty namespace",
            { namespace: "" },
            `Configuration "namespace": "" is not allowed; it must be a Kubernetes name: lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters.`,
        ],
        [
            "namespace with uppercase",
            { namespace: "Pod-Security" },
            `Configuration "namespace": "Pod-Security" is not allowed; it must be a Kubernetes name: lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters.`,
        ],
        ...(["kube-system", "kube-public", "kube-node-lease", "default"] as const).map((namespace): [string, ConfigTree, string] => [
            `Kubernetes' own namespace ${namespace}`,
            { namespace },
            `Configuration "namespace": "${namespace}" is not allowed; it must be a namespace of your own, not one Kubernetes keeps for itself (default, kube-node-lease, kube-public, kube-system): the program labels its namespace to enforce a Pod Security level, which would apply to the cluster's own Pods there too.`,
        ]),
        [
            "Kubernetes' own namespace in an existing cluster, adopted",
            { cluster: { mode: "existing" }, namespace: "kube-system", namespaceMode: "adopt" },
            `Configuration "namespace": "kube-system" is not allowed; it must be a namespace of your own, not one Kubernetes keeps for itself (default, kube-node-lease, kube-public, kube-system): the program labels its namespace to enforce a Pod Security level, which would apply to the cluster's own Pods there too.`,
        ],
        [
            "a namespace with the reserved kube- prefix",
            { namespace: "kube-flannel" },
            `Configuration "namespace": "kube-flannel" is not allowed; it must be a namespace of your own: names starting with "kube-" are reserved for Kubernetes system namespaces, and the program labels its namespace to enforce a Pod Security level, which would apply to the cluster's own Pods there too.`,
        ],
        [
            "unknown namespace mode",
            { cluster: { mode: "existing" }, namespaceMode: "exists" },
            'Configuration "namespaceMode": "exists" is not allowed; it must be "create" (the stack creates the namespace and deletes it at pulumi destroy) or "adopt" (the namespace exists already: the stack only applies the Pod Security labels to it, and removes just those at pulumi destroy).',
        ],
        [
            "adopting a namespace in the stack's own kind cluster",
            { namespaceMode: "adopt" },
            'Configuration "namespaceMode": "adopt" is not allowed; it must be "create" when cluster.mode is "kind" (the stack\'s own kind cluster has no namespace to adopt; "adopt" is for cluster.mode "existing").',
        ],
        [
            "unknown Pod Security level",
            { podSecurity: { level: "strict" } },
            'Configuration "podSecurity.level": "strict" is not allowed; it must be one of "privileged", "baseline", "restricted".',
        ],
        [
            "Pod Security version without v",
            { podSecurity: { version: "1.30" } },
            'Configuration "podSecurity.version": "1.30" is not allowed; it must be "latest" or "v1.N" (for example "v1.30").',
        ],
        [
            "Pod Security version v2",
            { podSecurity: { version: "v2.0" } },
            'Configuration "podSecurity.version": "v2.0" is not allowed; it must be "latest" or "v1.N" (for example "v1.30").',
        ],
        [
            // One parser with the checker: a minor the API server's ParseVersion refuses (beyond int64) is refused here too.
            "Pod Security version beyond what the API server parses",
            { podSecurity: { version: "v1.99999999999999999999" } },
            'Configuration "podSecurity.version": "v1.99999999999999999999" is not allowed; it must be "latest" or "v1.N" (for example "v1.30").',
        ],
        [
            "non-numeric chart version",
            { operator: { chartVersion: "latest" } },
            'Configuration "operator.chartVersion": "latest" is not allowed; it must be a chart version such as "1.7.0".',
        ],
        [
            "chart repository with another scheme",
            { operator: { chartRepository: "ftp://mirror.example.com/kuberay/" } },
            `Configuration "operator.chartRepository": "ftp://mirror.example.com/kuberay/" is not allowed; it must be ${REPOSITORY_RULE}.`,
        ],
        [
            "chart repository without a scheme",
            { operator: { chartRepository: "charts.example.com/kuberay" } },
            `Configuration "operator.chartRepository": "charts.example.com/kuberay" is not allowed; it must be ${REPOSITORY_RULE}.`,
        ],
        [
            "chart repository without a host",
            { operator: { chartRepository: "https:///kuberay-helm/" } },
            `Configuration "operator.chartRepository": "https:///kuberay-helm/" is not allowed; it must be ${REPOSITORY_RULE}.`,
        ],
        [
            "chart repository with credentials",
            { operator: { chartRepository: "https://ci:s3cret@nexus.example.com/helm/" } },
            `Configuration "operator.chartRepository": "https://ci:s3cret@nexus.example.com/helm/" is not allowed; it must be ${REPOSITORY_RULE}.`,
        ],
        [
            "chart path and chart repository both set",
            { operator: { chartPath: "charts/kuberay-operator", chartRepository: "https://nexus.example.com/helm/" } },
            'Configuration "operator.chartPath" ("charts/kuberay-operator") and "operator.chartRepository" ("https://nexus.example.com/helm/") are both set; set only one: operator.chartPath for a chart on disk, or operator.chartRepository for a chart repository or registry.',
        ],
        [
            "chart path that does not exist",
            { operator: { chartPath: "charts/kuberay" } },
            `Configuration "operator.chartPath": "charts/kuberay" is not allowed; it must be ${CHART_PATH_RULE} (/home/user/charts/kuberay is neither a directory nor a readable file).`,
        ],
        [
            "chart path to a file that is not a .tgz",
            { operator: { chartPath: "charts/kuberay-operator-1.7.0.zip" } },
            `Configuration "operator.chartPath": "charts/kuberay-operator-1.7.0.zip" is not allowed; it must be ${CHART_PATH_RULE} (/home/user/charts/kuberay-operator-1.7.0.zip is a file whose name does not end in .tgz).`,
        ],
        [
            "chart path to a directory without Chart.yaml",
            { operator: { chartPath: "charts" } },
            `Configuration "operator.chartPath": "charts" is not allowed; it must be ${CHART_PATH_RULE} (/home/user/charts/Chart.yaml is not readable).`,
        ],
        [
            "chart directory whose Chart.yaml is not YAML",
            { operator: { chartPath: "charts/broken" } },
            `Configuration "operator.chartPath": "charts/broken" is not allowed; it must be ${CHART_PATH_RULE} (/home/user/charts/broken/Chart.yaml is not valid YAML).`,
        ],
        [
            "chart directory of another chart",
            { operator: { chartPath: "charts/nginx" } },
            `Configuration "operator.chartPath": "charts/nginx" is not allowed; it must be ${CHART_PATH_RULE} (/home/user/charts/nginx/Chart.yaml has name "nginx").`,
        ],
        [
            "chart directory at another version than operator.chartVersion",
            { operator: { chartPath: "charts/kuberay-operator-1.6" } },
            'Configuration "operator.chartPath": "charts/kuberay-operator-1.6" is not allowed; it must be the kuberay-operator chart at operator.chartVersion "1.7.0" (/home/user/charts/kuberay-operator-1.6/Chart.yaml has version "1.6.0"; set operator.chartVersion to "1.6.0" to use this chart).',
        ],
        [
            "chart directory whose Chart.yaml has no version",
            { operator: { chartPath: "charts/unversioned" } },
            'Configuration "operator.chartPath": "charts/unversioned" is not allowed; it must be the kuberay-operator chart at operator.chartVersion "1.7.0" (/home/user/charts/unversioned/Chart.yaml has no version).',
        ],
        ["clusterWide not a boolean", { operator: { clusterWide: "yes" } }, 'Configuration "operator.clusterWide": "yes" is not allowed; it must be true or false.'],
        [
            "RayCluster name too long for its Service",
            { ray: { clusterName: "r".repeat(55) } },
            `Configuration "ray.clusterName": "${"r".repeat(55)}" is not allowed; it must be a name of lowercase letters, digits and '-', starting with a letter, at most 54 characters (its head Service is <name>-head-svc).`,
        ],
        ["malformed Ray version", { ray: { version: "2.52" } }, 'Configuration "ray.version": "2.52" is not allowed; it must be a Ray release version such as "2.52.0".'],
        [
            "Ray older than KubeRay supports",
            { ray: { version: "2.4.0" } },
            'Configuration "ray.version": "2.4.0" is not allowed; it must be 2.38.0 or later (the oldest Ray that KubeRay 1.3+ supports).',
        ],
        [
            "image without a tag",
            { ray: { image: "rayproject/ray" } },
            'Configuration "ray.image": "rayproject/ray" is not allowed; it must be an image reference with a tag, such as "rayproject/ray:2.52.0".',
        ],
        [
            "image tag that disagrees with rayVersion",
            { ray: { image: "rayproject/ray:2.41.0" } },
            'Configuration "ray.image": "rayproject/ray:2.41.0" is not allowed; it must be an image whose tag is the Ray version "2.52.0" or starts with "2.52.0-" (or set ray.version to the image\'s Ray version).',
        ],
        [
            "malformed CPU quantity",
            { ray: { head: { cpu: "2 cores" } } },
            'Configuration "ray.head.cpu": "2 cores" is not allowed; it must be a CPU quantity greater than zero, such as "1", "0.5" or "500m".',
        ],
        [
            "zero CPU",
            { ray: { head: { cpu: "0" } } },
            'Configuration "ray.head.cpu": "0" is not allowed; it must be a CPU quantity greater than zero, such as "1", "0.5" or "500m".',
        ],
        [
            "malformed memory quantity",
            { ray: { head: { memory: "2GB" } } },
            'Configuration "ray.head.memory": "2GB" is not allowed; it must be a memory quantity greater than zero, such as "2Gi", "512Mi" or "2G".',
        ],
        ["negative replicas", { ray: { workerGroups: [{ name: "a", replicas: -1 }] } }, 'Configuration "ray.workerGroups[0].replicas": -1 is not allowed; it must be a whole number >= 0.'],
        [
            "non-integer replicas",
            { ray: { workerGroups: [{ name: "a", replicas: 1.5 }] } },
            'Configuration "ray.workerGroups[0].replicas": 1.5 is not allowed; it must be a whole number >= 0.',
        ],
        [
            "minReplicas above maxReplicas",
            { ray: { workerGroups: [{ name: "a", replicas: 2, minReplicas: 3, maxReplicas: 2 }] } },
            'Configuration "ray.workerGroups[0].minReplicas": 3 is not allowed; it must be at most maxReplicas (2).',
        ],
        [
            "replicas outside min..max",
            { ray: { workerGroups: [{ name: "a", replicas: 7, minReplicas: 1, maxReplicas: 5 }] } },
            'Configuration "ray.workerGroups[0].replicas": 7 is not allowed; it must be between minReplicas (1) and maxReplicas (5).',
        ],
        [
            "worker group without a name",
            { ray: { workerGroups: [{ replicas: 1 }] } },
            `Configuration "ray.workerGroups[0].name": "" is not allowed; it must be a group name: lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters.`,
        ],
        [
            "duplicate worker group names",
            { ray: { workerGroups: [{ name: "a" }, { name: "a" }] } },
            'Configuration "ray.workerGroups[1].name": "a" is not allowed; it must be unique among the worker groups.',
        ],
        [
            "worker memory quantity in millibytes",
            { ray: { workerGroups: [{ name: "a", memory: "500m" }] } },
            'Configuration "ray.workerGroups[0].memory": "500m" is not allowed; it must be a memory quantity greater than zero, such as "2Gi", "512Mi" or "2G".',
        ],
        [
            "workerGroups not a list",
            { ray: { workerGroups: { name: "a" } } },
            'Configuration "ray.workerGroups": {"name":"a"} is not allowed; it must be a list of worker groups, such as [{"name": "small-group", "replicas": 1, "cpu": "1", "memory": "2Gi"}].',
        ],
        [
            "unknown worker group field",
            { ray: { workerGroups: [{ name: "a", gpus: 1 }] } },
            'Configuration "ray.workerGroups[0].gpus" is not a known worker group field; known fields: name, replicas, minReplicas, maxReplicas, cpu, memory.',
        ],
        [
            "unknown RayCluster variant",
            { ray: { variant: "step-5.1" } },
            'Configuration "ray.variant": "step-5.1" is not allowed; it must be "pod-security" (hardened, tutorial Step 5.2) or "complete" (no securityContext, Step 5.1).',
        ],
        ["failOnViolation not a boolean", { podSecurity: { failOnViolation: "warn" } }, 'Configuration "podSecurity.failOnViolation": "warn" is not allowed; it must be true or false.'],
        ["zero timeout", { ray: { readyTimeoutSeconds: 0 } }, 'Configuration "ray.readyTimeoutSeconds": 0 is not allowed; it must be a whole number >= 1.'],
        ["misspelt key", { ray: { hed: { cpu: "1" } } }, 'Configuration "ray.hed.cpu" is not a known key; did you mean "ray.head.cpu"?'],
    ];

    it.each(cases)("%s", (label, tree, message) => {
        const environment = label.startsWith("stack name") ? { ...env, stack: "x".repeat(50) } : env;
        expect(problems(tree, environment)).toEqual([message]);
    });

    it("has at least 20 cases", () => {
        expect(cases.length).toBeGreaterThanOrEqual(20);
    });

    it("compares a chart directory's version only with a well-formed operator.chartVersion", () => {
        expect(problems({ operator: { chartVersion: "latest", chartPath: "charts/kuberay-operator" } })).toEqual([
            'Configuration "operator.chartVersion": "latest" is not allowed; it must be a chart version such as "1.7.0".',
        ]);
    });

    it("reports every problem at once, one line each", () => {
        const error = problems({ namespace: "A", podSecurity: { level: "x" }, ray: { version: "1" } });
        expect(error).toHaveLength(3);
        expect(error.map((line) => line.split(":")[0])).toEqual([
            'Configuration "namespace"',
            'Configuration "podSecurity.level"',
            'Configuration "ray.version"',
        ]);
    });
});

describe("configTree", () => {
    it("decodes JSON objects and lets a literal dotted key win over the nested value", () => {
        const tree = configTree(
            {
                "kuberay-pod-security:ray": JSON.stringify({ version: "2.52.0", head: { cpu: "1" } }),
                "kuberay-pod-security:ray.head.cpu": "3",
                "kuberay-pod-security:namespace": "ns",
                "kubernetes:context": "ignored: another namespace",
            },
            "kuberay-pod-security",
        );
        expect(tree).toEqual({ ray: { version: "2.52.0", head: { cpu: "3" } }, namespace: "ns" });
    });

    it("keeps a string that only looks like JSON", () => {
        expect(configTree({ "p:namespace": "{oops" }, "p")).toEqual({ namespace: "{oops" });
    });
});

describe("Pulumi.yaml", () => {
    const project = parse(fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), "utf8"));

    it("declares exactly the keys the program reads, with their types, defaults and descriptions", () => {
        const expected = Object.fromEntries(
            Object.entries(CONFIG_KEYS).map(([key, spec]: [string, ConfigKey]) => [
                key,
                { type: spec.type, ...(spec.items ? { items: spec.items } : {}), description: spec.description, default: spec.default },
            ]),
        );
        expect(project.config).toEqual(expected);
    });

    it("declares the lists as arrays of strings, empty by default", () => {
        for (const key of ["cluster.kubeadmConfigPatches", "cluster.containerdConfigPatches", "cluster.imageArchives", "cluster.localImages"]) {
            expect(project.config[key], key).toMatchObject({ type: "array", items: { type: "string" }, default: [] });
        }
    });

    it("names no backend: `pulumi login` (or PULUMI_BACKEND_URL) decides, a project's backend.url would override it", () => {
        expect(project.backend).toBeUndefined();
        expect(fs.readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8")).toContain("pulumi login --local");
    });

    it.each(["dev", "existing"])("Pulumi.%s.yaml sets only known keys, and valid values", (stack) => {
        const file = parse(fs.readFileSync(path.join(PROJECT_DIR, `Pulumi.${stack}.yaml`), "utf8"));
        const all = Object.fromEntries(
            Object.entries(file.config as Record<string, unknown>).map(([key, value]) => [key, typeof value === "string" ? value : JSON.stringify(value)]),
        );
        const lenient = { ...env, isReadableFile: () => true };
        expect(() => loadStackConfig(configTree(all, "kuberay-pod-security"), { ...lenient, stack })).not.toThrow();
    });
});

describe("README and docs/configuration.md", () => {
    const readme = fs.readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8");
    const configurationDoc = fs.readFileSync(path.join(PROJECT_DIR, "docs", "configuration.md"), "utf8");

    it("shows a stack file for unusual hosts and images without a registry that validates, patches and images as written", () => {
        const section = configurationDoc.slice(configurationDoc.indexOf("### kind on unusual hosts, and images without a registry"));
        const example = parse(/```yaml\n([\s\S]*?)```/.exec(section)![1]);
        const all = Object.fromEntries(Object.entries(example.config as Record<string, unknown>).map(([key, value]) => [key, JSON.stringify(value)]));
        expect(loadStackConfig(configTree(all, "kuberay-pod-security"), env).cluster).toEqual({
            mode: "kind",
            name: "kuberay-dev",
            nodeImage: DEFAULT_KIND_NODE_IMAGE,
            kubeadmConfigPatches: ["kind: KubeletConfiguration\nfailCgroupV1: false\n"],
            containerdConfigPatches: ['[plugins."io.containerd.grpc.v1.cri"]\n  restrict_oom_score_adj = true\n'],
            imageArchives: ["/home/user/images/kuberay.tar"],
            localImages: ["rayproject/ray:2.52.0"],
        });
    });

    it("documents every configuration key, on the front page and in depth", () => {
        for (const key of [...Object.keys(CONFIG_KEYS), "ray.workerGroups"]) {
            expect(readme, key).toContain(`\`${key}\``);
            expect(configurationDoc, key).toContain(`\`${key}\``);
        }
    });

    it("keeps the front page within 15 KB, its links to docs/ pointing at files and headings that exist", () => {
        expect(Buffer.byteLength(readme)).toBeLessThanOrEqual(15 * 1024);
        const anchor = (heading: string) => heading.trim().toLowerCase().replace(/[^\w\- ]/g, "").replace(/ /g, "-");
        const links = [...readme.matchAll(/\]\((docs\/[\w-]+\.md)(?:#([^)]*))?\)/g)];
        expect(links.length).toBeGreaterThan(0);
        for (const [, file, hash] of links) {
            const doc = fs.readFileSync(path.join(PROJECT_DIR, file), "utf8");
            if (hash) expect([...doc.matchAll(/^#{1,4} (.*)$/gm)].map((m) => anchor(m[1])), `${file}#${hash}`).toContain(hash);
        }
    });
});
