import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { PodSecurityLevel } from "../config/formats";
import { podSecurityLabels } from "./labels";

export interface PodSecurityNamespaceArgs {
    /** Namespace name (an RFC 1123 label). */
    name: string;
    /** Pod Security Standard enforced, audited and warned about. */
    level: PodSecurityLevel;
    /** Version of that standard: `latest` or `v1.N`. */
    version: string;
    /** Kubernetes provider of the target cluster. */
    provider: k8s.Provider;
}

/** A namespace labelled so that Pod Security Admission enforces, audits and warns at one level and version. */
export class PodSecurityNamespace extends pulumi.ComponentResource {
    /** The namespace's name, known once it exists: depend on it to be created after the namespace. */
    readonly name: pulumi.Output<string>;
    readonly level: PodSecurityLevel;
    readonly version: string;

    constructor(name: string, args: PodSecurityNamespaceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("kuberay-pod-security:index:PodSecurityNamespace", name, {}, opts);
        const namespace = new k8s.core.v1.Namespace(
            name,
            { metadata: { name: args.name, labels: podSecurityLabels(args.level, args.version) } },
            { parent: this, provider: args.provider },
        );
        this.name = namespace.metadata.name;
        this.level = args.level;
        this.version = args.version;
        this.registerOutputs({ name: this.name });
    }
}
