/**
 * Validation of the kind-mode keys for unusual hosts and air gaps: `cluster.kubeadmConfigPatches` and
 * `cluster.containerdConfigPatches` (kind's own config fields, merged into every node) and the images loaded
 * into the node once the cluster exists, before anything is deployed (`cluster.imageArchives`,
 * `cluster.localImages`, as `kind load` does). Pure, apart from the file checks `env` answers.
 */

import { parseAllDocuments } from "yaml";
import { parseImageReference } from "./formats";
import { show } from "./problems";
import { ConfigReader } from "./reader";
import { type ConfigEnvironment } from "./environment";

export interface KindOptions {
    /** kubeadm config patches (YAML documents) for every node, kind's cluster-level `kubeadmConfigPatches`. */
    kubeadmConfigPatches: string[];
    /** TOML fragments merged into every node's containerd config, kind's `containerdConfigPatches`. */
    containerdConfigPatches: string[];
    /** Absolute paths of image archives to `kind load image-archive`. */
    imageArchives: string[];
    /** References of images in the local Docker to `kind load docker-image`. */
    localImages: string[];
}

export const KIND_OPTION_KEYS = ["cluster.kubeadmConfigPatches", "cluster.containerdConfigPatches", "cluster.imageArchives", "cluster.localImages"] as const;

/** The documents kind's generated kubeadm config holds; a patch of any other kind matches nothing, and kind ignores it silently. */
export const KUBEADM_PATCH_KINDS = ["ClusterConfiguration", "InitConfiguration", "JoinConfiguration", "KubeletConfiguration", "KubeProxyConfiguration"] as const;

export const KUBEADM_PATCH_RULE = `a kubeadm config patch: one YAML mapping whose "kind" is one of ${KUBEADM_PATCH_KINDS.join(", ")}, such as "kind: KubeletConfiguration\\nfailCgroupV1: false"`;
export const CONTAINERD_PATCH_RULE =
    'a containerd config patch: a TOML fragment with a [section] header or a key = value line, such as "[plugins.\\"io.containerd.grpc.v1.cri\\"]\\n  restrict_oom_score_adj = true"';
export const IMAGE_ARCHIVE_RULE = "the path of a readable image archive: a docker save or OCI tarball";
export const LOCAL_IMAGE_RULE = 'an image reference with a tag, such as "rayproject/ray:2.52.0", of an image in the local Docker';

/** `cluster.mode: kind`: every list read and each entry checked; archive paths made absolute. */
export function readKindOptions(read: ConfigReader, env: ConfigEnvironment): KindOptions {
    const kubeadmConfigPatches = entries(read, "cluster.kubeadmConfigPatches", KUBEADM_PATCH_RULE, '["kind: KubeletConfiguration\\nfailCgroupV1: false"]', (patch) => {
        const why = kubeadmPatchProblem(patch);
        return why === undefined ? undefined : `${KUBEADM_PATCH_RULE} (${why})`;
    });
    const containerdConfigPatches = entries(
        read,
        "cluster.containerdConfigPatches",
        CONTAINERD_PATCH_RULE,
        '["[plugins.\\"io.containerd.grpc.v1.cri\\"]\\n  restrict_oom_score_adj = true"]',
        (patch) => (isContainerdPatch(patch) ? undefined : CONTAINERD_PATCH_RULE),
    );
    const imageArchives = entries(read, "cluster.imageArchives", IMAGE_ARCHIVE_RULE, '["images/ray.tar"]', (file) => {
        if (file === "") {
            return IMAGE_ARCHIVE_RULE;
        }
        // The images script reads the paths one a line.
        if (/[\n\r]/.test(file)) {
            return `${IMAGE_ARCHIVE_RULE}, at a path without line breaks`;
        }
        const resolved = env.resolvePath(file);
        return env.isReadableFile(resolved) ? undefined : `${IMAGE_ARCHIVE_RULE} (${resolved} is not a readable file)`;
    }).map((file) => env.resolvePath(file));
    const localImages = entries(read, "cluster.localImages", LOCAL_IMAGE_RULE, '["rayproject/ray:2.52.0"]', (image) =>
        parseImageReference(image)?.tag === undefined ? LOCAL_IMAGE_RULE : undefined,
    );
    return { kubeadmConfigPatches, containerdConfigPatches, imageArchives, localImages };
}

/** `cluster.mode: existing`: the keys configure the kind cluster the stack would create, so they must be empty. */
export function refuseKindOptions(read: ConfigReader): void {
    for (const key of KIND_OPTION_KEYS) {
        const value = read.raw(key);
        if (value !== undefined && !(Array.isArray(value) && value.length === 0)) {
            read.problems.invalid(key, value, 'empty when cluster.mode is "existing" (it applies to the kind cluster the stack creates with cluster.mode "kind")');
        }
    }
}

/**
 * The list's entries that pass `problem` (which returns the text after "it must be", or undefined). A bad
 * entry is reported as `<key>[<index>]`; one that is not a string, with the entries' `rule` alone.
 */
function entries(
    read: ConfigReader,
    key: (typeof KIND_OPTION_KEYS)[number],
    rule: string,
    example: string,
    problem: (entry: string) => string | undefined,
): string[] {
    const valid: string[] = [];
    read.list(key, example).forEach((entry, index) => {
        const why = typeof entry === "string" ? problem(entry) : rule;
        if (why !== undefined) {
            read.problems.invalid(`${key}[${index}]`, entry, why);
        } else {
            valid.push(entry as string);
        }
    });
    return valid;
}

/** What is wrong with a kubeadm config patch (the text in parentheses after the rule), or undefined. */
export function kubeadmPatchProblem(patch: string): string | undefined {
    const documents = parseAllDocuments(patch);
    if (!Array.isArray(documents) || documents.length === 0) {
        return "it is empty";
    }
    if (documents.length > 1) {
        return `it holds ${documents.length} YAML documents; give each its own entry`;
    }
    const [document] = documents;
    if (document.errors.length > 0) {
        // "Nested mappings are not allowed in compact mappings at line 1, column 4:" and a code frame.
        return `it is not valid YAML: ${document.errors[0].message.split("\n")[0].replace(/:$/, "")}`;
    }
    const value: unknown = document.toJS();
    if (value === null || value === undefined) {
        return "it is empty";
    }
    if (typeof value !== "object" || Array.isArray(value)) {
        return `it is a YAML ${Array.isArray(value) ? "list" : "scalar"}, not a mapping`;
    }
    const kind = (value as { kind?: unknown }).kind;
    if (kind === undefined) {
        return 'it has no "kind"';
    }
    if (typeof kind !== "string") {
        return `its kind ${show(kind)} is not a string`;
    }
    if (!(KUBEADM_PATCH_KINDS as readonly string[]).includes(kind)) {
        return `its kind ${show(kind)} is none of these: the patch would match no document and be ignored`;
    }
    return undefined;
}

const TOML_HEADER = /^\s*\[\[?\s*[^\s[\]][^[\]]*\]\]?\s*(#.*)?$/m;
const TOML_KEY_VALUE = /^\s*[A-Za-z0-9_."'-]+\s*=\s*\S/m;

/** A light sanity check, not a TOML parser: containerd (in the node) is the judge of the rest. */
export function isContainerdPatch(patch: string): boolean {
    return TOML_HEADER.test(patch) || TOML_KEY_VALUE.test(patch);
}
