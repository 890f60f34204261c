/**
 * The stack's configuration, validated as a whole before any resource is declared.
 *
 * `loadStackConfig` is pure: it takes the configuration tree and the few facts about the environment it
 * needs, and returns a typed `StackConfig` or throws a `ConfigError` listing every problem, one line each,
 * naming the key, the bad value and what is allowed.
 */

import { editDistance } from "../lib/editDistance";
import { CPU_RULE, isCpuQuantity, isDns1035Label, isKindClusterName, isMemoryQuantity, KIND_NAME_MAX, MEMORY_RULE, parseImageReference } from "./formats";
import { KindOptions, readKindOptions, refuseKindOptions } from "./kindOptions";
import { NamespaceMode, readNamespace } from "./namespace";
import { OperatorChartConfig, readOperatorChart } from "./operatorChart";
import { Problems } from "./problems";
import { ConfigReader } from "./reader";
import { CONFIG_KEYS, WORKER_GROUPS_KEY } from "./schema";
import { ConfigTree, getPath, isPlainObject, leafPaths } from "./tree";
import { readWorkerGroups } from "./workerGroups";
import { isLevel, isVersion, Level, LEVEL_RULE, VERSION_RULE } from "../model/podSecurity";
import { RAY_CLUSTER_VARIANTS, RayClusterVariant, WorkerGroup } from "../model/ray";
import { compareVersions, isSemver } from "../lib/versions";
import { ConfigEnvironment } from "./environment";

/** kind mode: the cluster's name and node image, kind's config patches and the images loaded into it (see kindOptions.ts). */
export interface KindClusterConfig extends KindOptions {
    mode: "kind";
    name: string;
    nodeImage: string;
}

export interface ExistingClusterConfig {
    mode: "existing";
    /** Absolute path of the kubeconfig file; undefined means the ambient one ($KUBECONFIG, ~/.kube/config). */
    kubeconfig?: string;
    /** Context to use; undefined means the kubeconfig's current context. */
    context?: string;
}

export interface StackConfig {
    cluster: KindClusterConfig | ExistingClusterConfig;
    namespace: string;
    /** `create`: the stack owns the namespace; `adopt`: it exists, the stack only labels it (see namespace.ts). */
    namespaceMode: NamespaceMode;
    podSecurity: { level: Level; version: string; failOnViolation: boolean };
    operator: { chartVersion: string; clusterWide: boolean } & OperatorChartConfig;
    ray: {
        variant: RayClusterVariant;
        clusterName: string;
        version: string;
        image: string;
        head: { cpu: string; memory: string };
        workerGroups: WorkerGroup[];
        autoscaling: boolean;
        readyTimeoutSeconds: number;
    };
}




/** The oldest Ray that KubeRay 1.3 and later support. */
export const MIN_RAY_VERSION = "2.38.0";

const HEAD_SERVICE_SUFFIX = "-head-svc";

export function loadStackConfig(tree: ConfigTree, env: ConfigEnvironment): StackConfig {
    const problems = new Problems();
    const read = new ConfigReader(tree, problems);
    reportUnknownKeys(tree, problems);

    const cluster = readCluster(read, env);
    const config: StackConfig = {
        cluster,
        ...readNamespace(read, cluster.mode),
        podSecurity: {
            level: check(read, "podSecurity.level", isLevel, LEVEL_RULE) as Level,
            version: check(read, "podSecurity.version", isVersion, VERSION_RULE),
            failOnViolation: read.boolean("podSecurity.failOnViolation"),
        },
        operator: readOperator(read, env),
        ray: {
            variant: check(read, "ray.variant", (v) => (RAY_CLUSTER_VARIANTS as readonly string[]).includes(v), '"pod-security" (hardened, tutorial Step 5.2) or "complete" (no securityContext, Step 5.1)') as RayClusterVariant,
            clusterName: check(
                read,
                "ray.clusterName",
                (name) => isDns1035Label(name, HEAD_SERVICE_SUFFIX.length),
                `a name of lowercase letters, digits and '-', starting with a letter, at most ${63 - HEAD_SERVICE_SUFFIX.length} characters (its head Service is <name>${HEAD_SERVICE_SUFFIX})`,
            ),
            version: readRayVersion(read),
            image: "",
            head: {
                cpu: check(read, "ray.head.cpu", isCpuQuantity, CPU_RULE),
                memory: check(read, "ray.head.memory", isMemoryQuantity, MEMORY_RULE),
            },
            workerGroups: readWorkerGroups(read.raw(WORKER_GROUPS_KEY), problems),
            autoscaling: read.boolean("ray.autoscaling"),
            readyTimeoutSeconds: read.integer("ray.readyTimeoutSeconds", 1),
        },
    };
    config.ray.image = readRayImage(read, config.ray.version);
    problems.throwIfAny();
    return config;
}


function check(read: ConfigReader, key: keyof typeof CONFIG_KEYS, valid: (value: string) => boolean, rule: string): string {
    const value = read.string(key);
    if (!valid(value)) {
        read.problems.invalid(key, value, rule);
    }
    return value;
}

function readOperator(read: ConfigReader, env: ConfigEnvironment): StackConfig["operator"] {
    const chartVersion = check(read, "operator.chartVersion", isSemver, 'a chart version such as "1.7.0"');
    return { chartVersion, clusterWide: read.boolean("operator.clusterWide"), ...readOperatorChart(read, env, chartVersion) };
}

function readCluster(read: ConfigReader, env: ConfigEnvironment): KindClusterConfig | ExistingClusterConfig {
    const mode = read.string("cluster.mode");
    const kubeconfig = read.string("cluster.kubeconfig");
    const context = read.string("cluster.context");
    if (mode === "existing") {
        const resolved = kubeconfig === "" ? undefined : env.resolvePath(kubeconfig);
        if (resolved !== undefined && !env.isReadableFile(resolved)) {
            read.problems.invalid("cluster.kubeconfig", kubeconfig, `the path of a readable kubeconfig file (${resolved} is not one)`);
        }
        refuseKindOptions(read);
        return { mode, kubeconfig: resolved, context: context === "" ? undefined : context };
    }
    if (mode !== "kind") {
        read.problems.invalid("cluster.mode", mode, '"kind" or "existing"');
    }
    for (const key of ["cluster.kubeconfig", "cluster.context"] as const) {
        const value = read.string(key);
        if (mode === "kind" && value !== "") {
            read.problems.invalid(key, value, 'empty when cluster.mode is "kind" (set cluster.mode to "existing" to use a cluster you already have)');
        }
    }
    return { mode: "kind", name: readKindClusterName(read, env.stack), nodeImage: readNodeImage(read), ...readKindOptions(read, env) };
}

function readKindClusterName(read: ConfigReader, stack: string): string {
    const configured = read.string("cluster.name");
    const rule = `a kind cluster name: lowercase letters, digits, '.' and '-', starting and ending with a letter or digit, at most ${KIND_NAME_MAX} characters`;
    if (configured !== "") {
        if (!isKindClusterName(configured)) {
            read.problems.invalid("cluster.name", configured, rule);
        }
        return configured;
    }
    const derived = defaultKindClusterName(stack);
    if (!isKindClusterName(derived)) {
        read.problems.add(
            `Configuration "cluster.name" is empty and the name derived from stack "${stack}" (${JSON.stringify(derived)}) is not usable; set cluster.name to ${rule}.`,
        );
    }
    return derived;
}

/** `kuberay-<stack>`, lowercased, with anything kind does not accept turned into '-'. */
export function defaultKindClusterName(stack: string): string {
    return `kuberay-${stack}`
        .toLowerCase()
        .replace(/[^a-z0-9.-]+/g, "-")
        .replace(/-+$/, "");
}

function readNodeImage(read: ConfigReader): string {
    const image = read.string("cluster.nodeImage");
    if (parseImageReference(image)?.tag === undefined) {
        read.problems.invalid("cluster.nodeImage", image, 'an image reference with a tag, such as "kindest/node:v1.37.0" (ideally pinned with @sha256:…)');
    }
    return image;
}

function readRayVersion(read: ConfigReader): string {
    const version = read.string("ray.version");
    if (!/^\d+\.\d+\.\d+$/.test(version)) {
        read.problems.invalid("ray.version", version, 'a Ray release version such as "2.52.0"');
    } else if (compareVersions(version, MIN_RAY_VERSION) < 0) {
        read.problems.invalid("ray.version", version, `${MIN_RAY_VERSION} or later (the oldest Ray that KubeRay 1.3+ supports)`);
    }
    return version;
}

function readRayImage(read: ConfigReader, version: string): string {
    const configured = read.string("ray.image");
    if (configured === "") {
        return `rayproject/ray:${version}`;
    }
    const tag = parseImageReference(configured)?.tag;
    if (tag === undefined) {
        read.problems.invalid("ray.image", configured, `an image reference with a tag, such as "rayproject/ray:${version}"`);
    } else if (tag !== version && !tag.startsWith(`${version}-`)) {
        read.problems.invalid(
            "ray.image",
            configured,
            `an image whose tag is the Ray version "${version}" or starts with "${version}-" (or set ray.version to the image's Ray version)`,
        );
    }
    return configured;
}

function reportUnknownKeys(tree: ConfigTree, problems: Problems): void {
    const known = Object.keys(CONFIG_KEYS);
    for (const path of leafPaths(tree)) {
        const isKnown =
            known.includes(path) ||
            path === WORKER_GROUPS_KEY ||
            path.startsWith(`${WORKER_GROUPS_KEY}.`) ||
            // An empty object at a section (`ray: {}`) is harmless.
            (isPlainObject(getPath(tree, path)) && known.some((key) => key.startsWith(`${path}.`)));
        if (!isKnown) {
            const suggestion = [...known, WORKER_GROUPS_KEY].find((key) => editDistance(key, path) <= 3);
            problems.add(
                `Configuration "${path}" is not a known key${suggestion ? `; did you mean "${suggestion}"?` : `; known keys: ${[...known, WORKER_GROUPS_KEY].join(", ")}.`}`,
            );
        }
    }
}
