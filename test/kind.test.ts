import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { CREATE_SCRIPT, DELETE_SCRIPT, IMAGES_SCRIPT, KUBECONFIG_FILE_NAME, kindCommandEnvironment, kindGeneration, kindImagesEnvironment, kindImagesTriggers, ownerRecord } from "../components/kind/commands";
import { AUDIT_LOG_PATH, AUDIT_POLICY_PATH, auditLogCommand, buildAuditPolicy, kindWorkDir } from "../components/kind/kindConfig";
import { shellQuote } from "../lib/shell";
import { testDataPath } from "./support/testData";

describe("audit policy", () => {
    it("logs Pod requests of the namespace at Metadata level, without the RequestReceived stage", () => {
        const policy = parse(stringify(buildAuditPolicy("team-ray")));
        expect(policy).toEqual({
            apiVersion: "audit.k8s.io/v1",
            kind: "Policy",
            omitStages: ["RequestReceived"],
            rules: [{ level: "Metadata", resources: [{ group: "", resources: ["pods"] }], namespaces: ["team-ray"] }],
        });
    });

    it("is the tutorial's policy for the tutorial's namespace", () => {
        const tutorial = parse(fs.readFileSync(testDataPath("kuberay-v1.3.2/audit-policy.yaml"), "utf8"));
        expect(buildAuditPolicy("pod-security")).toEqual(tutorial);
    });
});

describe("kind config", () => {
    const config = parse(kindCommandEnvironment({ clusterName: "c", nodeImage: "kindest/node:v1.37.0", workDir: "/state/dev", auditNamespace: "ns", owner: "p/dev" }).KIND_CONFIG_YAML);
    const controlPlane = config.nodes[0];
    const patch = parse(controlPlane.kubeadmConfigPatches[0]);

    it("has one control-plane node of a v1alpha4 Cluster", () => {
        expect(config.kind).toBe("Cluster");
        expect(config.apiVersion).toBe("kind.x-k8s.io/v1alpha4");
        expect(config.nodes.map((n: { role: string }) => n.role)).toEqual(["control-plane"]);
    });

    it("patches the API server's flags for auditing, without apiVersion so v1beta3 and v1beta4 both take it", () => {
        expect(patch.kind).toBe("ClusterConfiguration");
        expect(patch).not.toHaveProperty("apiVersion");
        expect(patch.apiServer.extraArgs).toEqual({ "audit-log-path": AUDIT_LOG_PATH, "audit-policy-file": AUDIT_POLICY_PATH });
    });

    it("mounts the policy and log directories into the API server and the policy file into the node", () => {
        const volumes = patch.apiServer.extraVolumes;
        expect(volumes).toContainEqual(expect.objectContaining({ hostPath: path.dirname(AUDIT_POLICY_PATH), mountPath: path.dirname(AUDIT_POLICY_PATH), readOnly: true }));
        expect(volumes).toContainEqual(expect.objectContaining({ hostPath: path.dirname(AUDIT_LOG_PATH), mountPath: path.dirname(AUDIT_LOG_PATH), readOnly: false }));
        expect(controlPlane.extraMounts).toEqual([{ hostPath: "/state/dev/audit-policy.yaml", containerPath: AUDIT_POLICY_PATH, readOnly: true }]);
    });

    it("keeps the tutorial's structure", () => {
        const tutorial = parse(fs.readFileSync(testDataPath("kuberay-v1.3.2/kind-config.yaml"), "utf8"));
        const tutorialPatch = parse(tutorial.nodes[0].kubeadmConfigPatches[0]);
        expect(patch.apiServer.extraArgs).toEqual(tutorialPatch.apiServer.extraArgs);
        expect(patch.apiServer.extraVolumes.map((v: { name: string }) => v.name)).toEqual(tutorialPatch.apiServer.extraVolumes.map((v: { name: string }) => v.name));
        expect(controlPlane.extraMounts[0].containerPath).toBe(tutorial.nodes[0].extraMounts[0].containerPath);
    });

    describe("with patches of the user's own", () => {
        const kubelet = "kind: KubeletConfiguration\nfailCgroupV1: false\n";
        const cluster = "kind: ClusterConfiguration\nnetworking:\n  dnsDomain: example.local\n";
        const containerd = '[plugins."io.containerd.grpc.v1.cri"]\n  restrict_oom_score_adj = true\n';
        const inputs = { clusterName: "c", nodeImage: "kindest/node:v1.37.0", workDir: "/state/dev", auditNamespace: "ns", owner: "p/dev" };
        const patched = kindCommandEnvironment({ ...inputs, kubeadmConfigPatches: [kubelet, cluster], containerdConfigPatches: [containerd] });
        const yaml = parse(patched.KIND_CONFIG_YAML);

        it("puts them at the top level, for every node, as they are and in order", () => {
            expect(Object.keys(yaml)).toEqual(["kind", "apiVersion", "kubeadmConfigPatches", "containerdConfigPatches", "nodes"]);
            expect(yaml.kubeadmConfigPatches).toEqual([kubelet, cluster]);
            expect(yaml.containerdConfigPatches).toEqual([containerd]);
        });

        it("keeps the audit patch and the policy mount on the control-plane node", () => {
            expect(yaml.nodes).toEqual(config.nodes);
            expect(yaml.nodes[0].kubeadmConfigPatches).toHaveLength(1);
            expect(parse(yaml.nodes[0].kubeadmConfigPatches[0]).kind).toBe("ClusterConfiguration");
        });

        it("makes them part of the cluster's definition", () => {
            const plain = kindCommandEnvironment(inputs);
            expect(patched.KIND_DEFINITION).not.toBe(plain.KIND_DEFINITION);
            expect(kindCommandEnvironment({ ...inputs, containerdConfigPatches: [containerd] }).KIND_DEFINITION).not.toBe(plain.KIND_DEFINITION);
            expect(kindCommandEnvironment({ ...inputs, kubeadmConfigPatches: [cluster, kubelet], containerdConfigPatches: [containerd] }).KIND_DEFINITION).not.toBe(
                patched.KIND_DEFINITION,
            );
        });

        it("without any, generates the config it always did: an existing cluster keeps its definition", () => {
            const plain = kindCommandEnvironment(inputs);
            expect(kindCommandEnvironment({ ...inputs, kubeadmConfigPatches: [], containerdConfigPatches: [] })).toEqual(plain);
            expect(Object.keys(parse(plain.KIND_CONFIG_YAML))).toEqual(["kind", "apiVersion", "nodes"]);
        });
    });

    it("prints the audit log from the control-plane container", () => {
        expect(auditLogCommand("kuberay-dev")).toBe("docker exec kuberay-dev-control-plane cat /var/log/kubernetes/kube-apiserver-audit.log");
    });
});

/**
 * Runs the real create/delete scripts against a fake `kind` on PATH that keeps its clusters in a file and
 * logs its calls: the scripts' idempotence is checked for real, without Docker.
 */
describe("kind create/delete scripts", () => {
    function sandbox(existing: string[], clusterName = "kuberay-dev") {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fake-kind-"));
        const bin = path.join(dir, "bin");
        fs.mkdirSync(bin);
        fs.writeFileSync(path.join(dir, "clusters"), existing.map((c) => `${c}\n`).join(""));
        fs.writeFileSync(
            path.join(bin, "kind"),
            `#!/bin/sh
echo "$*" >> "${dir}/calls"
case "$1 $2" in
  "get clusters") if [ -n "\${FAKE_DOCKER_DOWN:-}" ]; then echo "ERROR: failed to list clusters: command \"docker ps\" failed" >&2; exit 1; fi
                  if [ -s "${dir}/clusters" ]; then cat "${dir}/clusters"; else echo "No kind clusters found." >&2; fi ;;
  "create cluster") if [ -n "\${FAKE_KIND_FAIL:-}" ]; then echo "ERROR: failed to create cluster" >&2; exit 1; fi
                    echo "$4" >> "${dir}/clusters"; echo "Creating cluster $4" >&2 ;;
  "delete cluster") grep -vx "$4" "${dir}/clusters" > "${dir}/clusters.new" || true; mv "${dir}/clusters.new" "${dir}/clusters" ;;
  "get kubeconfig") echo "kubeconfig-of-$4" ;;
  "load image-archive"|"load docker-image")
                  # Each argument as it arrived, in brackets: spaces, quotes and $(…) show as they are.
                  printf '[%s]' "$@" >> "${dir}/loads"; echo >> "${dir}/loads"
                  if ! grep -qxF -- "$5" "${dir}/clusters"; then echo "ERROR: no nodes found for cluster \\"$5\\"" >&2; exit 1; fi
                  if [ "$2" = image-archive ] && [ ! -f "$3" ]; then echo "ERROR: failed to load image: open $3: no such file or directory" >&2; exit 1; fi
                  if [ "$2" = docker-image ] && ! grep -qxF -- "$3" "${dir}/docker-images" 2>/dev/null; then echo "ERROR: image: \\"$3\\" not present locally" >&2; exit 1; fi
                  echo "Image: \\"$3\\" loaded" >&2 ;;
esac
`,
            { mode: 0o755 },
        );
        const environmentFor = (change: { nodeImage?: string; owner?: string; generation?: number } = {}) =>
            kindCommandEnvironment({
                clusterName,
                nodeImage: change.nodeImage ?? "kindest/node:v1.37.0",
                workDir: path.join(dir, "state", "dev"),
                auditNamespace: "pod-security",
                owner: change.owner ?? "kuberay-pod-security/dev",
                generation: change.generation,
            });
        const environment = environmentFor();
        const runScript = (script: string, env = environment) =>
            spawnSync("/bin/sh", ["-c", script], { env: { ...process.env, ...env, PATH: `${bin}:${process.env.PATH}` }, encoding: "utf8" });
        const calls = () => (fs.existsSync(path.join(dir, "calls")) ? fs.readFileSync(path.join(dir, "calls"), "utf8").trim().split("\n") : []);
        const clusters = () => fs.readFileSync(path.join(dir, "clusters"), "utf8").split("\n").filter(Boolean);
        return { dir, environment, environmentFor, runScript, calls, clusters };
    }

    it("creates the cluster with name, image and generated config, and prints only the kubeconfig", () => {
        const { environment, runScript, calls, clusters } = sandbox([]);
        const result = runScript(CREATE_SCRIPT);
        expect(result.status).toBe(0);
        expect(result.stdout).toBe("kubeconfig-of-kuberay-dev\n");
        // The same kubeconfig as a file the printed commands name, for its owner only.
        const kubeconfigFile = path.join(environment.KIND_WORK_DIR, KUBECONFIG_FILE_NAME);
        expect(fs.readFileSync(kubeconfigFile, "utf8")).toBe("kubeconfig-of-kuberay-dev\n");
        expect(fs.statSync(kubeconfigFile).mode & 0o777).toBe(0o600);
        expect(calls()).toContain(`create cluster --name kuberay-dev --image kindest/node:v1.37.0 --config ${environment.KIND_CONFIG_FILE} --wait 5m`);
        expect(clusters()).toEqual(["kuberay-dev"]);
        expect(fs.readFileSync(environment.KIND_CONFIG_FILE, "utf8")).toBe(environment.KIND_CONFIG_YAML);
        expect(parse(fs.readFileSync(environment.AUDIT_POLICY_FILE, "utf8")).rules[0].namespaces).toEqual(["pod-security"]);
    });

    it("records which stack made the cluster from which definition; any change of the cluster changes the definition", () => {
        const { environment, environmentFor, runScript } = sandbox([]);
        runScript(CREATE_SCRIPT);
        expect(fs.readFileSync(environment.KIND_OWNER_FILE, "utf8")).toBe(`kuberay-pod-security/dev ${environment.KIND_DEFINITION}\n`);
        expect(environment.KIND_DEFINITION).toMatch(/^[0-9a-f]{16}$/);
        expect(environmentFor().KIND_DEFINITION).toBe(environment.KIND_DEFINITION);
        expect(environmentFor({ nodeImage: "kindest/node:v1.36.4" }).KIND_DEFINITION).not.toBe(environment.KIND_DEFINITION);
        expect(environmentFor({ owner: "kuberay-pod-security/other" }).KIND_DEFINITION).toBe(environment.KIND_DEFINITION);
    });

    it("replaces the stack's cluster of another definition: the new create deletes it first, the old delete then leaves the new one", () => {
        const { environment: old, environmentFor, runScript, calls, clusters } = sandbox([]);
        runScript(CREATE_SCRIPT, old);
        const replacement = environmentFor({ nodeImage: "kindest/node:v1.36.4" });
        // Pulumi creates the replacement first (no deleteBeforeReplace), then deletes the original.
        const created = runScript(CREATE_SCRIPT, replacement);
        expect(created.status).toBe(0);
        expect(created.stderr).toContain("kind cluster kuberay-dev has another definition: deleting it to create it anew");
        expect(created.stdout).toBe("kubeconfig-of-kuberay-dev\n");
        const deleted = runScript(DELETE_SCRIPT, old);
        expect(deleted.status).toBe(0);
        expect(deleted.stderr).toContain("has been made anew from another definition: leaving it and its files");
        expect(calls().filter((call) => /^(create|delete) cluster/.test(call))).toEqual([
            expect.stringMatching(/^create cluster --name kuberay-dev --image kindest\/node:v1\.37\.0 /),
            "delete cluster --name kuberay-dev",
            expect.stringMatching(/^create cluster --name kuberay-dev --image kindest\/node:v1\.36\.4 /),
        ]);
        expect(clusters()).toEqual(["kuberay-dev"]);
        expect(fs.readFileSync(replacement.KIND_OWNER_FILE, "utf8")).toBe(`kuberay-pod-security/dev ${replacement.KIND_DEFINITION}\n`);
        expect(fs.existsSync(replacement.AUDIT_POLICY_FILE)).toBe(true);
        // The replacement's own delete (destroy) removes it all.
        expect(runScript(DELETE_SCRIPT, replacement).status).toBe(0);
        expect(clusters()).toEqual([]);
        expect(fs.existsSync(replacement.KIND_WORK_DIR)).toBe(false);
    });

    it("refuses a cluster of that name another stack made, touching nothing", () => {
        const { environmentFor, runScript, calls, clusters } = sandbox([]);
        runScript(CREATE_SCRIPT, environmentFor({ owner: "kuberay-pod-security/other" }));
        const result = runScript(CREATE_SCRIPT);
        expect(result.status).not.toBe(0);
        expect(result.stderr).toContain("kind cluster kuberay-dev belongs to kuberay-pod-security/other, not to kuberay-pod-security/dev: give this stack another cluster.name");
        expect(result.stdout).toBe("");
        expect(calls().filter((call) => /^(create|delete) cluster/.test(call))).toHaveLength(1);
        expect(clusters()).toEqual(["kuberay-dev"]);
    });

    it("reuses the cluster it made from the same definition instead of failing (a create run again)", () => {
        const { runScript, calls } = sandbox(["other"]);
        runScript(CREATE_SCRIPT);
        const result = runScript(CREATE_SCRIPT);
        expect(result.status).toBe(0);
        expect(result.stderr).toContain("already exists: reusing it");
        expect(calls().filter((call) => call.startsWith("create"))).toHaveLength(1);
        expect(result.stdout).toBe("kubeconfig-of-kuberay-dev\n");
    });

    it("refuses a cluster of that name it has no record of making (by hand, or with its files elsewhere), touching nothing", () => {
        const { environment, runScript, calls, clusters } = sandbox(["other", "kuberay-dev"]);
        const result = runScript(CREATE_SCRIPT);
        expect(result.status).not.toBe(0);
        expect(result.stderr).toContain(
            `kind cluster kuberay-dev exists, but ${environment.KIND_OWNER_FILE} does not say kuberay-pod-security/dev made it: delete it (kind delete cluster --name kuberay-dev) or give this stack another cluster.name`,
        );
        expect(result.stdout).toBe("");
        expect(calls().filter((call) => /^(create|delete) cluster/.test(call))).toEqual([]);
        expect(clusters()).toEqual(["other", "kuberay-dev"]);
        expect(fs.existsSync(environment.KIND_WORK_DIR)).toBe(false);
    });

    it("deletes the cluster and the generated files", () => {
        const { environment, runScript, clusters } = sandbox([]);
        runScript(CREATE_SCRIPT);
        const result = runScript(DELETE_SCRIPT);
        expect(result.status).toBe(0);
        expect(clusters()).toEqual([]);
        expect(fs.existsSync(environment.KIND_WORK_DIR)).toBe(false);
    });

    it("succeeds when the cluster is already gone", () => {
        const { runScript, calls } = sandbox(["other"]);
        const result = runScript(DELETE_SCRIPT);
        expect(result.status).toBe(0);
        expect(result.stderr).toContain("already gone");
        expect(calls().some((call) => call.startsWith("delete"))).toBe(false);
    });

    it("fails delete, keeping the cluster and its files, when kind cannot list clusters (Docker down)", () => {
        const { environment, runScript, clusters } = sandbox([]);
        runScript(CREATE_SCRIPT);
        process.env.FAKE_DOCKER_DOWN = "1";
        try {
            const result = runScript(DELETE_SCRIPT);
            expect(result.status).not.toBe(0);
            expect(result.stderr).toContain("failed to list clusters");
            expect(result.stderr).not.toContain("already gone");
        } finally {
            delete process.env.FAKE_DOCKER_DOWN;
        }
        expect(clusters()).toEqual(["kuberay-dev"]);
        expect(fs.existsSync(environment.AUDIT_POLICY_FILE)).toBe(true);
    });

    it("matches the cluster name as a fixed string: a '.' is not a wildcard", () => {
        const { runScript, calls } = sandbox(["kuberayXdev"], "kuberay.dev");
        const result = runScript(CREATE_SCRIPT);
        expect(result.status).toBe(0);
        expect(calls().filter((call) => call.startsWith("create"))).toEqual([expect.stringMatching(/^create cluster --name kuberay\.dev /)]);
    });

    it("fails the run, printing no kubeconfig and leaving no generated file, when kind fails to create", () => {
        const { environment, runScript, calls } = sandbox([]);
        process.env.FAKE_KIND_FAIL = "1";
        try {
            const result = runScript(CREATE_SCRIPT);
            expect(result.status).not.toBe(0);
            expect(result.stderr).toContain("failed to create cluster");
            expect(result.stderr).toContain("kind could not create cluster kuberay-dev from node image kindest/node:v1.37.0 (kind's error is above); nothing of it is left");
            expect(result.stdout).toBe("");
            expect(calls().some((call) => call.startsWith("get kubeconfig"))).toBe(false);
            expect(fs.existsSync(environment.KIND_WORK_DIR)).toBe(false);
        } finally {
            delete process.env.FAKE_KIND_FAIL;
        }
        // The next run, once kind can, creates it.
        expect(runScript(CREATE_SCRIPT).status).toBe(0);
    });

    it("fails create with one message naming Docker when kind cannot list clusters, writing nothing", () => {
        const { environment, runScript, calls } = sandbox([]);
        process.env.FAKE_DOCKER_DOWN = "1";
        try {
            const result = runScript(CREATE_SCRIPT, { ...environment, DOCKER_HOST: "unix:///nowhere.sock" });
            expect(result.status).not.toBe(0);
            expect(result.stderr).toContain(
                "kind could not list its clusters, so kind cluster kuberay-dev was not created: is Docker running and reachable (DOCKER_HOST=unix:///nowhere.sock)? kind's error is above",
            );
            expect(calls().filter((call) => call.startsWith("create"))).toEqual([]);
            expect(fs.existsSync(environment.KIND_WORK_DIR)).toBe(false);
        } finally {
            delete process.env.FAKE_DOCKER_DOWN;
        }
    });

    it("a cluster deleted behind Pulumi's back: the next generation creates it again; the old generation's delete then leaves it", () => {
        const { environment: first, environmentFor, runScript, calls, clusters } = sandbox([]);
        runScript(CREATE_SCRIPT, first);
        const record = fs.readFileSync(first.KIND_OWNER_FILE, "utf8");
        expect(record).toBe(`${ownerRecord("kuberay-pod-security/dev", first.KIND_DEFINITION, 0)}\n`);
        // kind delete cluster, by hand.
        fs.writeFileSync(path.join(path.dirname(first.KIND_WORK_DIR), "..", "clusters"), "");
        const generation = kindGeneration(record, "kuberay-pod-security/dev", clusters().includes("kuberay-dev"));
        expect(generation).toBe(1);
        const again = environmentFor({ generation });
        expect(again.KIND_RECORD).not.toBe(first.KIND_RECORD);
        expect(again.KIND_DEFINITION).toBe(first.KIND_DEFINITION);
        expect(runScript(CREATE_SCRIPT, again).status).toBe(0);
        expect(clusters()).toEqual(["kuberay-dev"]);
        expect(fs.readFileSync(again.KIND_OWNER_FILE, "utf8")).toBe(`kuberay-pod-security/dev ${first.KIND_DEFINITION} 1\n`);
        // Pulumi then deletes the replaced original: its record is no longer the file's.
        const deleted = runScript(DELETE_SCRIPT, first);
        expect(deleted.status).toBe(0);
        expect(deleted.stderr).toContain("has been made anew from another definition: leaving it and its files");
        expect(clusters()).toEqual(["kuberay-dev"]);
        expect(calls().filter((call) => call.startsWith("create"))).toHaveLength(2);
        // With the cluster there again, the generation stays: no change at the next preview.
        expect(kindGeneration(fs.readFileSync(again.KIND_OWNER_FILE, "utf8"), "kuberay-pod-security/dev", true)).toBe(1);
    });

    describe("images script (kind load)", () => {
        /** A created cluster, image archives on disk and images in the fake Docker. */
        function withCluster(archiveNames: string[], dockerImages: string[]) {
            const box = sandbox([]);
            expect(box.runScript(CREATE_SCRIPT).status).toBe(0);
            fs.mkdirSync(path.join(box.dir, "images"));
            const archives = archiveNames.map((name) => {
                const file = path.join(box.dir, "images", name);
                fs.writeFileSync(file, "tar");
                return file;
            });
            fs.writeFileSync(path.join(box.dir, "docker-images"), dockerImages.map((image) => `${image}\n`).join(""));
            const loads = () => (fs.existsSync(path.join(box.dir, "loads")) ? fs.readFileSync(path.join(box.dir, "loads"), "utf8").trim().split("\n") : []);
            const runImages = (imageArchives: string[], localImages: string[]) =>
                box.runScript(IMAGES_SCRIPT, kindImagesEnvironment({ clusterName: "kuberay-dev", imageArchives, localImages }));
            return { ...box, archives, loads, runImages };
        }

        it("loads each archive, then each local image, in order, into the named cluster, and prints a summary", () => {
            const { archives, loads, runImages } = withCluster(["ray.tar", "operator.oci.tar"], ["rayproject/ray:2.52.0", "quay.io/kuberay/operator:v1.7.0"]);
            const result = runImages(archives, ["quay.io/kuberay/operator:v1.7.0", "rayproject/ray:2.52.0"]);
            expect(result.stderr).not.toContain("ERROR");
            expect(result.status).toBe(0);
            expect(loads()).toEqual([
                `[load][image-archive][${archives[0]}][--name][kuberay-dev]`,
                `[load][image-archive][${archives[1]}][--name][kuberay-dev]`,
                "[load][docker-image][quay.io/kuberay/operator:v1.7.0][--name][kuberay-dev]",
                "[load][docker-image][rayproject/ray:2.52.0][--name][kuberay-dev]",
            ]);
            expect(result.stdout).toBe("loaded 2 image archive(s) and 2 local image(s) into kind cluster kuberay-dev\n");
            // kind's own output goes to stderr: stdout is only the summary.
            expect(result.stderr).toContain('Image: "rayproject/ray:2.52.0" loaded');
        });

        it("passes paths and references literally: spaces, quotes, backslashes, globs and $(…) are never evaluated", () => {
            const names = ["my images.tar", `it's "quoted".tar`, "$(touch pwned).tar", "`touch pwned2`.tar", "back\\slash\\n.tar", "*.tar", "  padded  .tar", "-dash.tar"];
            const { dir, archives, loads, runImages } = withCluster(names, ["$(touch pwned3):1", "a b:1"]);
            const result = runImages(archives, ["$(touch pwned3):1", "a b:1"]);
            expect(result.stderr).not.toContain("ERROR");
            expect(result.status).toBe(0);
            expect(loads()).toEqual([
                ...archives.map((file) => `[load][image-archive][${file}][--name][kuberay-dev]`),
                "[load][docker-image][$(touch pwned3):1][--name][kuberay-dev]",
                "[load][docker-image][a b:1][--name][kuberay-dev]",
            ]);
            for (const file of ["pwned", "pwned2", "pwned3"]) {
                expect(fs.existsSync(path.join(dir, file)) || fs.existsSync(path.join(process.cwd(), file)), file).toBe(false);
            }
        });

        it("stops at an archive kind cannot load, naming it after kind's error, and loads nothing after it", () => {
            const { archives, loads, runImages } = withCluster(["ray.tar"], ["rayproject/ray:2.52.0"]);
            const missing = path.join(path.dirname(archives[0]), "gone.tar");
            const result = runImages([missing, archives[0]], ["rayproject/ray:2.52.0"]);
            expect(result.status).not.toBe(0);
            expect(result.stdout).toBe("");
            expect(result.stderr).toContain(`ERROR: failed to load image: open ${missing}: no such file or directory`);
            expect(result.stderr).toContain(
                `could not load image archive "${missing}" into kind cluster kuberay-dev (cluster.imageArchives): kind load image-archive failed, its error is above`,
            );
            expect(result.stderr.indexOf("ERROR: failed to load image")).toBeLessThan(result.stderr.indexOf("could not load image archive"));
            expect(loads()).toHaveLength(1);
        });

        it("stops at an image the local Docker does not have, naming it", () => {
            const { loads, runImages } = withCluster([], ["rayproject/ray:2.52.0"]);
            const result = runImages([], ["rayproject/ray:2.52.0", "rayproject/ray:9.9.9", "quay.io/kuberay/operator:v1.7.0"]);
            expect(result.status).not.toBe(0);
            expect(result.stdout).toBe("");
            expect(result.stderr).toContain('ERROR: image: "rayproject/ray:9.9.9" not present locally');
            expect(result.stderr).toContain(
                'could not load image "rayproject/ray:9.9.9" from the local Docker into kind cluster kuberay-dev (cluster.localImages): kind load docker-image failed, its error is above (is the image in docker image ls?)',
            );
            expect(loads()).toHaveLength(2);
        });

        it("fails, naming the archive, when the cluster is not there", () => {
            const { archives, runImages } = withCluster(["ray.tar"], []);
            const result = spawnSync("/bin/sh", ["-c", IMAGES_SCRIPT], {
                env: { ...process.env, ...kindImagesEnvironment({ clusterName: "other", imageArchives: archives, localImages: [] }), PATH: `${path.dirname(path.dirname(archives[0]))}/bin:${process.env.PATH}` },
                encoding: "utf8",
            });
            expect(runImages(archives, []).status).toBe(0);
            expect(result.status).not.toBe(0);
            expect(result.stderr).toContain('ERROR: no nodes found for cluster "other"');
            expect(result.stderr).toContain(`could not load image archive "${archives[0]}" into kind cluster other (cluster.imageArchives)`);
        });

        it("passes the lists one entry a line, and refuses an entry that would split", () => {
            expect(kindImagesEnvironment({ clusterName: "c", imageArchives: ["/a b.tar", "/c.tar"], localImages: ["r:1"] })).toEqual({
                KIND_CLUSTER_NAME: "c",
                KIND_IMAGE_ARCHIVES: "/a b.tar\n/c.tar",
                KIND_LOCAL_IMAGES: "r:1",
            });
            expect(() => kindImagesEnvironment({ clusterName: "c", imageArchives: ["/a\n/b.tar"], localImages: [] })).toThrow(/cannot be passed one a line/);
        });

        it("is triggered again by a changed list, a rebuilt archive or a new cluster definition, and by nothing else", () => {
            const cluster = kindCommandEnvironment({ clusterName: "kuberay-dev", nodeImage: "kindest/node:v1.37.0", workDir: "/state/dev", auditNamespace: "ns", owner: "p/dev" });
            const archive = { path: "/images/ray.tar", size: 100, mtime: "2025-06-01T10:00:00.000Z" };
            const base = kindImagesTriggers(cluster, [archive], ["r:1"]);
            expect(kindImagesTriggers({ ...cluster }, [{ ...archive }], ["r:1"])).toEqual(base);
            for (const changed of [
                kindImagesTriggers(cluster, [{ ...archive, size: 101 }], ["r:1"]),
                kindImagesTriggers(cluster, [{ ...archive, mtime: "2025-06-02T10:00:00.000Z" }], ["r:1"]),
                kindImagesTriggers(cluster, [archive], ["r:1", "r:2"]),
                kindImagesTriggers(cluster, [], ["r:1"]),
                kindImagesTriggers(kindCommandEnvironment({ clusterName: "kuberay-dev", nodeImage: "kindest/node:v1.36.4", workDir: "/state/dev", auditNamespace: "ns", owner: "p/dev" }), [archive], ["r:1"]),
            ]) {
                expect(changed).not.toEqual(base);
            }
            expect(base).toEqual([{ clusterCommand: expect.stringMatching(/^[0-9a-f]{16}$/), imageArchives: [archive], localImages: ["r:1"] }]);
        });
    });
});

describe("kindGeneration", () => {
    const owner = "p/dev";
    it("is 0 with no record, or a record of another stack's", () => {
        expect(kindGeneration(undefined, owner, false)).toBe(0);
        expect(kindGeneration("p/other abc 3\n", owner, false)).toBe(0);
    });
    it("keeps the recorded generation while the cluster is there, or when kind cannot say", () => {
        expect(kindGeneration("p/dev abc\n", owner, true)).toBe(0);
        expect(kindGeneration("p/dev abc 2\n", owner, true)).toBe(2);
        expect(kindGeneration("p/dev abc 2\n", owner, undefined)).toBe(2);
    });
    it("moves to the next one when kind no longer lists the cluster this stack made", () => {
        expect(kindGeneration("p/dev abc\n", owner, false)).toBe(1);
        expect(kindGeneration("p/dev abc 2\n", owner, false)).toBe(3);
    });
    it("writes generation 0 as the two-field record earlier versions wrote, so their clusters are kept", () => {
        expect(ownerRecord(owner, "abc", 0)).toBe("p/dev abc");
        expect(ownerRecord(owner, "abc", 4)).toBe("p/dev abc 4");
    });
});

describe("kindWorkDir and shellQuote", () => {
    it("keeps a cluster's files in the user's state directory, per cluster, whatever the checkout", () => {
        expect(kindWorkDir("kuberay-dev", { home: "/home/ada" })).toBe("/home/ada/.local/state/kuberay-pod-security/kind/kuberay-dev");
        expect(kindWorkDir("kuberay-dev", { home: "/home/ada", xdgStateHome: "/var/state" })).toBe("/var/state/kuberay-pod-security/kind/kuberay-dev");
        expect(kindWorkDir("kuberay-dev", { home: "/home/ada", xdgStateHome: "relative" })).toBe("/home/ada/.local/state/kuberay-pod-security/kind/kuberay-dev");
    });

    it("quotes only what a shell would split or expand", () => {
        expect(shellQuote("/home/ada/.kube/config")).toBe("/home/ada/.kube/config");
        expect(shellQuote("/home/ada/My Configs/kube")).toBe("'/home/ada/My Configs/kube'");
        expect(spawnSync("/bin/sh", ["-c", `printf %s ${shellQuote("it's $HOME")}`], { encoding: "utf8" }).stdout).toBe("it's $HOME");
    });
});
