import * as os from "os";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { chartSource, helmTemplateOptions } from "./chartSource";
import { CrdSet } from "./crdSet";
import { cachedRender, chartIdentity, crdCacheDir, keepRender, RenderedCrds } from "./crdRender";
import { chartCrds, crdDigest } from "./crds";
import { operatorHelmValues } from "./values";

/** How to reach the cluster outside the Kubernetes provider (the CRD set applies the CRDs itself). */
export interface ClusterConnection {
    /** Kubeconfig contents; "" when a file (or the ambient kubeconfig) is used. */
    kubeconfig: pulumi.Input<string>;
    /** Kubeconfig file; "" when none (both "": the ambient kubeconfig, as kubectl finds it). */
    kubeconfigPath: string;
    /** Kubeconfig context; "": its current context. */
    context: string;
    /** Whether an unreachable cluster counts as gone at destroy and refresh (a disposable kind cluster). */
    deleteUnreachable: boolean;
}

export interface KubeRayOperatorArgs {
    /** Namespace to install into (and, unless clusterWide, the only one the operator watches). */
    namespace: pulumi.Input<string>;
    /** kuberay-operator chart version, e.g. "1.7.0" (for a local chart: the version its Chart.yaml has). */
    chartVersion: string;
    /** Helm chart repository (`https://…`, e.g. a mirror) or OCI registry (`oci://host/path`) to fetch it from. */
    chartRepository: string;
    /** Absolute path of a local chart directory or `.tgz` to use instead of chartRepository (air gap). Default: none. */
    chartPath?: string;
    /** Watch every namespace instead of only `namespace`. */
    clusterWide: boolean;
    /**
     * The same cluster as the Kubernetes provider (given in the options' `providers`), for the CRDs, which are applied outside the Kubernetes provider (see
     * crdSet.ts): kubeconfig contents ("" if none) or file ("" if none; both "": the ambient kubeconfig), context
     * ("": current), and whether an unreachable cluster counts as gone (as the provider's deleteUnreachable).
     */
    cluster: ClusterConnection;
    /** Folder where the rendered CRDs are kept for the CRD set. Default: `$XDG_CACHE_HOME/kuberay-pod-security/crds` (`~/.cache/…`). */
    crdCacheDir?: string;
}

const NOT_YET_RENDERED = { digest: pulumi.unknown, names: pulumi.unknown, crdFile: pulumi.unknown } as unknown as RenderedCrds;

/**
 * The KubeRay operator and its CRDs, from the kuberay-operator Helm chart (the official repository, a
 * mirror, or a local copy), with a hardened securityContext.
 *
 * Depend on this component to create Ray resources only once the CRDs exist and the operator runs.
 */
export class KubeRayOperator extends pulumi.ComponentResource {
    /** Digest of the chart's CRDs as applied. */
    readonly crdDigest: pulumi.Output<string>;

    constructor(name: string, args: KubeRayOperatorArgs, opts?: pulumi.ComponentResourceOptions) {
        super("kuberay-pod-security:index:KubeRayOperator", name, {}, opts);
        // The CRDs (0.8–1.4 MB each) as one small resource, not as chart children: a chart child is kept whole in
        // the state and dry-run on the server at every preview, which made every call take tens of seconds.
        // The provider renders the same chart (helm.v3's template invoke) so the CRDs follow the chart version.
        const cacheDir = args.crdCacheDir ?? crdCacheDir({ home: os.homedir(), xdgCacheHome: process.env.XDG_CACHE_HOME });
        const rendered = pulumi.output(args.namespace).apply(async (namespace): Promise<RenderedCrds> => {
            const identity = chartIdentity(args, namespace, name);
            const cached = cachedRender(cacheDir, identity);
            if (cached) return cached;
            const result = await pulumi.runtime.invoke("kubernetes:helm:template", { jsonOpts: JSON.stringify(helmTemplateOptions(args, namespace, name)) }, { parent: this });
            // A preview before the cluster exists (kind) has no configured provider: nothing rendered, the set unknown.
            if (result.result === undefined && pulumi.runtime.isDryRun()) return NOT_YET_RENDERED;
            const crds = chartCrds(result.result ?? []);
            if (crds.length === 0) throw new Error(`kuberay-operator chart ${args.chartVersion} rendered no CustomResourceDefinition`);
            return keepRender(cacheDir, identity, args.chartVersion, crdDigest(crds), crds);
        });
        const crds = new CrdSet(
            `${name}-crds`,
            {
                chartVersion: args.chartVersion,
                digest: rendered.digest,
                names: rendered.names,
                crdFile: rendered.crdFile,
                kubeconfig: pulumi.secret(args.cluster.kubeconfig),
                kubeconfigPath: args.cluster.kubeconfigPath,
                context: args.cluster.context,
                deleteUnreachable: args.cluster.deleteUnreachable,
            },
            { parent: this },
        );
        // helm.v4.Chart rather than helm.v3.Release: v4 makes every rendered object (Deployment, RBAC) a Pulumi
        // resource, so `dependsOn` on this component waits until the operator Deployment is available — a v3
        // Release's readiness is Helm's — and policy packs see the operator's own Pod template. v4 has no hooks;
        // this chart uses none. Its CRDs are the set above, created first and removed last.
        new k8s.helm.v4.Chart(
            name,
            {
                ...chartSource(args),
                namespace: args.namespace,
                values: operatorHelmValues({ clusterWide: args.clusterWide }),
                skipCrds: true,
            },
            { parent: this, dependsOn: [crds] },
        );
        this.crdDigest = crds.digest;
        this.registerOutputs({ crdDigest: this.crdDigest });
    }
}
