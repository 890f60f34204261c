import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
    buildExampleConfigMap,
    buildRayCluster,
    EXAMPLE_CONFIGMAP_NAME,
    headServiceName,
    RayClusterOptions,
    readinessAnnotations,
} from "./rayClusterSpec";

/** The RayCluster's shape (name, Ray version and image, head and worker sizing, autoscaling), plus: */
export interface SecureRayClusterArgs extends Omit<RayClusterOptions, "exampleConfigMap"> {
    /** Namespace to create the ConfigMap and RayCluster in (pass the namespace resource's output). */
    namespace: pulumi.Input<string>;
    /** How long `pulumi up` waits for the RayCluster to be provisioned. */
    readyTimeoutSeconds: number;
    /** Created only after this resource: the KubeRayOperator, so that CRDs and operator exist first. */
    operator: pulumi.Resource;
    /** Kubernetes provider of the target cluster. */
    provider: k8s.Provider;
}

/**
 * A RayCluster that satisfies the `restricted` Pod Security Standard, with the xgboost example mounted
 * from a ConfigMap at /home/ray/samples. `pulumi up` returns once the operator reports it provisioned.
 */
export class SecureRayCluster extends pulumi.ComponentResource {
    readonly rayClusterName: pulumi.Output<string>;
    readonly headServiceName: pulumi.Output<string>;

    constructor(name: string, args: SecureRayClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("kuberay-pod-security:index:SecureRayCluster", name, {}, opts);
        const childOptions = { parent: this, provider: args.provider };

        const exampleManifest = buildExampleConfigMap(EXAMPLE_CONFIGMAP_NAME);
        const example = new k8s.core.v1.ConfigMap(
            `${name}-example`,
            { metadata: { ...exampleManifest.metadata, namespace: args.namespace }, data: exampleManifest.data },
            childOptions,
        );

        const manifest = buildRayCluster({ ...args, exampleConfigMap: EXAMPLE_CONFIGMAP_NAME });
        const rayCluster = new k8s.apiextensions.CustomResource(
            name,
            {
                apiVersion: manifest.apiVersion,
                kind: manifest.kind,
                metadata: {
                    ...manifest.metadata,
                    namespace: args.namespace,
                    annotations: readinessAnnotations(args.readyTimeoutSeconds),
                },
                spec: manifest.spec,
            },
            { ...childOptions, dependsOn: [args.operator, example] },
        );

        this.rayClusterName = rayCluster.metadata.name;
        this.headServiceName = this.rayClusterName.apply(headServiceName);
        this.registerOutputs({ rayClusterName: this.rayClusterName, headServiceName: this.headServiceName });
    }
}
