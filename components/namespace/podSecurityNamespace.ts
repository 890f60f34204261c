import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { Level } from "../../model/podSecurity";
import { podSecurityLabels } from "./labels";

export interface PodSecurityNamespaceArgs {
    /** Namespace name (an RFC 1123 label). */
    name: string;
    /** Pod Security Standard enforced, audited and warned about. */
    level: Level;
    /** Version of that standard: `latest` or `v1.N`. */
    version: string;
    /**
     * The namespace exists already and belongs to someone else (configuration `namespaceMode: adopt`). The
     * component then only applies the six Pod Security labels to it, by server-side apply with a field manager
     * of its own (a `NamespacePatch`), leaving every other label, annotation and field alone; at `pulumi destroy`
     * it gives up just those labels and the namespace stays. It first reads the namespace, so that a missing one
     * fails at preview instead of being created. Labels another manager set to other values are a conflict the
     * provider reports. Default `false`: the component creates the namespace and deletes it at destroy.
     */
    adopt?: boolean;
}

/** A namespace labelled so that Pod Security Admission enforces, audits and warns at one level and version. */
export class PodSecurityNamespace extends pulumi.ComponentResource {
    /** The namespace's name, known once it exists (or is labelled): depend on it to come after the namespace. */
    readonly name: pulumi.Output<string>;
    readonly level: Level;
    readonly version: string;
    readonly adopted: boolean;

    constructor(name: string, args: PodSecurityNamespaceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("kuberay-pod-security:index:PodSecurityNamespace", name, {}, opts);
        const metadata = { name: args.name, labels: podSecurityLabels(args.level, args.version) };
        // The Kubernetes provider is the caller's (`providers` in the options): children inherit it.
        const options = { parent: this };
        if (args.adopt) {
            // A read: fails if the namespace is absent (`resource '<name>' does not exist`), and is never deleted.
            const existing = k8s.core.v1.Namespace.get(`${name}-to-adopt`, args.name, options);
            const labels = new k8s.core.v1.NamespacePatch(name, { metadata }, { ...options, dependsOn: [existing] });
            this.name = labels.metadata.name;
        } else {
            this.name = new k8s.core.v1.Namespace(name, { metadata }, options).metadata.name;
        }
        this.level = args.level;
        this.version = args.version;
        this.adopted = args.adopt ?? false;
        this.registerOutputs({ name: this.name });
    }
}
