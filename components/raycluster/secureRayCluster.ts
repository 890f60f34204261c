import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { RayCluster } from "../../model/k8s/types";
import { buildCompleteRayCluster } from "./completeRayCluster";
import { PodSecurityGate, podSecurityReport, refusedPods } from "./podSecurityGate";
import { buildExampleConfigMap, buildRayCluster, headServiceName, RayClusterShape, readinessAnnotations } from "./rayClusterSpec";
import { EXAMPLE_CONFIGMAP_NAME, RayClusterVariant } from "../../model/ray";

/** What the RayCluster looks like, and the Pod Security it must meet. Pure data: checked before any resource. */
export interface RayClusterPlan extends RayClusterShape {
    /** `pod-security`: the hardened cluster (tutorial Step 5.2); `complete`: Step 5.1's, no securityContext. */
    variant: RayClusterVariant;
    /** The namespace's name, for messages (its Pod Security level and version are `podSecurity`). */
    namespaceName: string;
    /** The Pod Security the namespace enforces, which the operator's Pods must meet, and what a refusal does. */
    podSecurity: PodSecurityGate;
    /** How long `pulumi up` waits for the RayCluster to be provisioned, in seconds (the tutorial's: 600). */
    readyTimeoutSeconds: number;
}

/**
 * The RayCluster's shape, the Pod Security it must meet, and where it goes. Create it after the KubeRayOperator
 * (`dependsOn`), so that the CRDs and the operator exist first.
 */
export interface SecureRayClusterArgs extends RayClusterPlan {
    /** Namespace to create the ConfigMap and RayCluster in (pass the namespace resource's output). */
    namespace: pulumi.Input<string>;
}

/** The component's own dependencies (its `dependsOn`) and one more, for a child that must wait for them too. */
function withDependency(dependsOn: pulumi.ComponentResourceOptions["dependsOn"], also: pulumi.Resource): pulumi.Input<pulumi.Input<pulumi.Resource>[]> {
    if (dependsOn === undefined) return [also];
    if (Array.isArray(dependsOn)) return [...dependsOn, also];
    if (pulumi.Resource.isInstance(dependsOn)) return [dependsOn, also];
    return pulumi.output(dependsOn as pulumi.Input<pulumi.Resource[]>).apply((resources) => [...resources, also]);
}

/**
 * A RayCluster that satisfies the `restricted` Pod Security Standard, with the xgboost example mounted
 * from a ConfigMap at /home/ray/samples. `pulumi up` returns once the operator reports it provisioned.
 */
export class SecureRayCluster extends pulumi.ComponentResource {
    readonly rayClusterName: pulumi.Output<string>;
    readonly headServiceName: pulumi.Output<string>;
    /** Pods the namespace would refuse (empty for the hardened cluster): one `<role> Pod: <message>` each. */
    readonly refusedPods: string[];

    /** The RayCluster manifest a plan describes. */
    static manifest(plan: RayClusterPlan): RayCluster {
        return plan.variant === "complete"
            ? buildCompleteRayCluster(plan)
            : buildRayCluster({ ...plan, exampleConfigMap: EXAMPLE_CONFIGMAP_NAME });
    }

    /**
     * Throws the Pod Security report when the plan's Pods would be refused and the gate says fail. Call it
     * before declaring anything, so that a refused cluster stops `pulumi up` before any resource is created.
     */
    static assertAdmissible(plan: RayClusterPlan): void {
        const manifest = SecureRayCluster.manifest(plan);
        const refusals = refusedPods(manifest, plan.podSecurity.level, plan.podSecurity.version);
        if (refusals.length > 0 && plan.podSecurity.failOnViolation) {
            throw new pulumi.RunError(podSecurityReport(manifest, plan.namespaceName, refusals, true));
        }
    }

    constructor(name: string, args: SecureRayClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("kuberay-pod-security:index:SecureRayCluster", name, {}, opts);
        // The Kubernetes provider is the caller's (`providers` in the options): children inherit it.
        const childOptions = { parent: this };

        const exampleManifest = buildExampleConfigMap(EXAMPLE_CONFIGMAP_NAME);
        const example = new k8s.core.v1.ConfigMap(
            `${name}-example`,
            { metadata: { ...exampleManifest.metadata, namespace: args.namespace }, data: exampleManifest.data },
            childOptions,
        );

        const manifest = SecureRayCluster.manifest(args);
        const refusals = refusedPods(manifest, args.podSecurity.level, args.podSecurity.version);
        if (refusals.length > 0) {
            const report = podSecurityReport(manifest, args.namespaceName, refusals, args.podSecurity.failOnViolation);
            if (args.podSecurity.failOnViolation) {
                throw new pulumi.RunError(report);
            }
            pulumi.log.warn(report, this);
        }
        const rayCluster = new k8s.apiextensions.CustomResource(
            name,
            {
                apiVersion: manifest.apiVersion,
                kind: manifest.kind,
                metadata: {
                    ...manifest.metadata,
                    namespace: args.namespace,
                    // Pods that will be refused never get ready: do not wait for them.
                    ...(refusals.length === 0 ? { annotations: readinessAnnotations(args.readyTimeoutSeconds) } : {}),
                },
                spec: manifest.spec,
            },
            // The component's dependsOn (the operator) holds for the RayCluster: children do not inherit it.
            { ...childOptions, dependsOn: withDependency(opts?.dependsOn, example) },
        );

        this.rayClusterName = rayCluster.metadata.name;
        this.refusedPods = refusals;
        this.headServiceName = this.rayClusterName.apply(headServiceName);
        this.registerOutputs({ rayClusterName: this.rayClusterName, headServiceName: this.headServiceName });
    }
}
