/**
 * The chart's CRDs as one small Pulumi resource (a dynamic provider): its state holds the chart version, a
 * digest of the rendered CRDs and their names, not the 0.8–1.4 MB CRDs themselves, so a no-op preview compares
 * two strings instead of loading, dry-running and diffing four large objects. `up` applies them server-side
 * (the program's field manager, forced: Helm never upgrades CRDs, this does) and waits until each is
 * Established; `destroy` deletes them; `refresh` notices CRDs changed or deleted behind its back.
 *
 * The CRDs themselves reach the provider in a file the program writes for each digest (crdFile): the provider
 * runs in a process of its own, and inputs are kept in the state.
 */

import type * as k8s from "@kubernetes/client-node";
import * as pulumi from "@pulumi/pulumi";
import { annotatedCrd, CRD_DIGEST_ANNOTATION, CrdObject, newerCrdProblem } from "./crds";

export interface CrdSetInputs {
    /** kuberay-operator chart version the CRDs come from. */
    chartVersion: string;
    /** crdDigest() of the rendered CRDs. */
    digest: string;
    /** The CRDs' names, sorted. */
    names: string[];
    /** JSON file with the rendered CRDs (an array), written by the program for this digest. */
    crdFile: string;
    /** Kubeconfig contents (a kind cluster's); "": use kubeconfigPath. A change (a new cluster) applies the set again. */
    kubeconfig: string;
    /** Kubeconfig file (an existing cluster's; machine-local, so not compared); both "": the ambient kubeconfig. */
    kubeconfigPath: string;
    /** Kubeconfig context; "": its current context. */
    context: string;
    /** A cluster that cannot be reached counts as gone at destroy and refresh (a disposable kind cluster). */
    deleteUnreachable: boolean;
}

/** The type token of the CRD set, as the engine and the state name it. */
export const CRD_SET_TYPE = "pulumi-nodejs:dynamic/kuberay-pod-security:CrdSet";

const FIELD_MANAGER = "kuberay-pod-security";
/** The digest refresh reports when the cluster's CRDs are not the ones applied: the next `up` applies them again. */
export const DRIFTED = "drifted";
const WAIT_TIMEOUT_MS = 120_000;

/**
 * The provider's functions are serialized into the state and run in a process of their own: the modules they
 * use are required when they run, not captured from this module.
 */
function kubernetesClient(): typeof k8s {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require("@kubernetes/client-node");
}

function readFile(file: string): string {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require("fs") as typeof import("fs")).readFileSync(file, "utf8");
}

function apiextensions(inputs: CrdSetInputs): k8s.ApiextensionsV1Api {
    const client = kubernetesClient();
    const config = new client.KubeConfig();
    if (inputs.kubeconfig !== "") config.loadFromString(inputs.kubeconfig);
    else if (inputs.kubeconfigPath !== "") config.loadFromFile(inputs.kubeconfigPath);
    else config.loadFromDefault();
    if (inputs.context !== "") config.setCurrentContext(inputs.context);
    return config.makeApiClient(client.ApiextensionsV1Api);
}

async function readCrd(api: k8s.ApiextensionsV1Api, name: string): Promise<CrdObject | undefined> {
    try {
        return (await api.readCustomResourceDefinition({ name })) as unknown as CrdObject;
    } catch (error) {
        if ((error as { code?: number }).code === 404) return undefined;
        throw error;
    }
}

async function waitUntil(what: string, done: () => Promise<boolean>): Promise<void> {
    const deadline = Date.now() + WAIT_TIMEOUT_MS;
    while (!(await done())) {
        if (Date.now() > deadline) throw new Error(`${what}: not within ${WAIT_TIMEOUT_MS / 1000} s`);
        await new Promise((resolve) => setTimeout(resolve, 500));
    }
}

/** A connection that could not be made (the cluster is gone), as opposed to an answer. */
function isUnreachable(error: unknown): boolean {
    const text = `${(error as { code?: unknown }).code ?? ""} ${(error as Error).message ?? ""} ${(error as { cause?: { code?: unknown } }).cause?.code ?? ""}`;
    return /ECONNREFUSED|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|ETIMEDOUT|ECONNRESET/.test(text);
}

function renderedCrds(inputs: CrdSetInputs): CrdObject[] {
    let crds: CrdObject[];
    try {
        crds = JSON.parse(readFile(inputs.crdFile));
    } catch (error) {
        throw new Error(`the rendered CRDs of kuberay-operator ${inputs.chartVersion} (${inputs.crdFile}) cannot be read (${(error as Error).message}): run the command again, the program writes them`);
    }
    const names = crds.map((crd) => crd.metadata.name);
    if (JSON.stringify(names) !== JSON.stringify(inputs.names)) throw new Error(`${inputs.crdFile} holds CRDs ${names.join(", ")}, not ${inputs.names.join(", ")}: run the command again`);
    return crds;
}

async function applyCrds(inputs: CrdSetInputs, previousNames: string[]): Promise<void> {
    const crds = renderedCrds(inputs);
    const client = kubernetesClient();
    const api = apiextensions(inputs);
    // Every check before any change: a refused set leaves the cluster as it was.
    for (const crd of crds) {
        const problem = newerCrdProblem(await readCrd(api, crd.metadata.name), crd, inputs.chartVersion);
        if (problem) throw new Error(problem);
    }
    for (const crd of crds) {
        const body = annotatedCrd(crd, inputs.chartVersion, inputs.digest);
        await api.patchCustomResourceDefinition(
            { name: crd.metadata.name, body, fieldManager: FIELD_MANAGER, force: true },
            client.setHeaderOptions("Content-Type", client.PatchStrategy.ServerSideApply),
        );
    }
    for (const crd of crds) {
        const established = async () => (await readCrd(api, crd.metadata.name))?.status?.conditions?.some((c) => c.type === "Established" && c.status === "True") === true;
        await waitUntil(`CRD ${crd.metadata.name} Established`, established);
    }
    // A CRD the new chart no longer has goes, as it would as a chart child (with every object of it).
    await deleteCrds(api, previousNames.filter((name) => !inputs.names.includes(name)));
}

async function deleteCrds(api: k8s.ApiextensionsV1Api, names: string[]): Promise<void> {
    for (const name of names) {
        try {
            await api.deleteCustomResourceDefinition({ name });
        } catch (error) {
            if ((error as { code?: number }).code !== 404) throw error;
        }
    }
    for (const name of names) await waitUntil(`CRD ${name} gone`, async () => (await readCrd(api, name)) === undefined);
}

export const crdSetProvider: pulumi.dynamic.ResourceProvider = {
    async diff(_id: string, olds: CrdSetInputs, news: CrdSetInputs) {
        // The files' paths are machine-local (the digest says whether the CRDs changed); the kubeconfig's
        // contents change with a new kind cluster, which needs the set again.
        const keys = (["chartVersion", "digest", "names", "kubeconfig", "context"] as const).filter((key) => JSON.stringify(olds[key]) !== JSON.stringify(news[key]));
        return { changes: keys.length > 0, replaces: [], deleteBeforeReplace: false };
    },
    async create(inputs: CrdSetInputs) {
        await applyCrds(inputs, []);
        return { id: inputs.names.join(","), outs: { ...inputs } };
    },
    async update(_id: string, olds: CrdSetInputs, news: CrdSetInputs) {
        await applyCrds(news, olds.names);
        return { outs: { ...news } };
    },
    async delete(_id: string, props: CrdSetInputs) {
        try {
            await deleteCrds(apiextensions(props), props.names);
        } catch (error) {
            if (!(props.deleteUnreachable && isUnreachable(error))) throw error;
        }
    },
    async read(id: string, props: CrdSetInputs) {
        // Every CRD there, applied from this digest: unchanged; otherwise the next `up` applies them again.
        const api = apiextensions(props);
        let found: Array<CrdObject | undefined>;
        try {
            found = await Promise.all(props.names.map((name) => readCrd(api, name)));
        } catch (error) {
            if (!(props.deleteUnreachable && isUnreachable(error))) throw error;
            found = [];
        }
        const intact = found.length > 0 && found.every((crd) => crd?.metadata.annotations?.[CRD_DIGEST_ANNOTATION] === props.digest);
        return { id, props: { ...props, digest: intact ? props.digest : DRIFTED } };
    },
};

/** The chart's CRDs, applied as one set (see the module comment). */
export class CrdSet extends pulumi.dynamic.Resource {
    declare readonly chartVersion: pulumi.Output<string>;
    declare readonly digest: pulumi.Output<string>;
    declare readonly names: pulumi.Output<string[]>;

    constructor(name: string, inputs: { [K in keyof CrdSetInputs]: pulumi.Input<CrdSetInputs[K]> }, opts?: pulumi.CustomResourceOptions) {
        // The kubeconfig may hold credentials: kept as a secret in the state.
        super(crdSetProvider, name, inputs, { ...opts, additionalSecretOutputs: ["kubeconfig"] }, "kuberay-pod-security", "CrdSet");
    }
}
