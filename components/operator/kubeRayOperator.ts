import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { chartSource } from "./chartSource";
import { operatorHelmValues } from "./values";

export interface KubeRayOperatorArgs {
    /** Namespace to install into (and, unless clusterWide, the only one the operator watches). */
    namespace: pulumi.Input<string>;
    /** kuberay-operator chart version, e.g. "1.7.0" (for a local chart: the version its Chart.yaml has). */
    chartVersion: string;
    /** Helm chart repository (`https://…`, e.g. a mirror) or OCI registry (`oci://host/path`) to fetch it from. */
    chartRepository: string;
    /** Absolute path of a local chart directory or `.tgz` to use instead of chartRepository (air gap). */
    chartPath?: string;
    /** Watch every namespace instead of only `namespace`. */
    clusterWide: boolean;
    /** Kubernetes provider of the target cluster. */
    provider: k8s.Provider;
}

/**
 * The KubeRay operator and its CRDs, from the kuberay-operator Helm chart (the official repository, a
 * mirror, or a local copy), with a hardened securityContext.
 *
 * Depend on this component to create Ray resources only once the CRDs exist and the operator runs.
 */
export class KubeRayOperator extends pulumi.ComponentResource {
    constructor(name: string, args: KubeRayOperatorArgs, opts?: pulumi.ComponentResourceOptions) {
        super("kuberay-pod-security:index:KubeRayOperator", name, {}, opts);
        // helm.v4.Chart rather than helm.v3.Release: v4 makes every rendered object (CRDs, Deployment, RBAC)
        // a Pulumi resource, so `dependsOn` on this component waits until the CRDs are established and the
        // operator Deployment is available — a v3 Release installs CRDs outside the provider's view and
        // its readiness is Helm's. It also lets policy packs see the operator's own Pod template, and
        // upgrades the CRDs with the chart, which Helm never does. v4 has no hooks; this chart uses none.
        new k8s.helm.v4.Chart(
            name,
            {
                ...chartSource(args),
                namespace: args.namespace,
                values: operatorHelmValues({ clusterWide: args.clusterWide }),
            },
            { parent: this, provider: args.provider },
        );
        this.registerOutputs({});
    }
}
