import * as path from "path";
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { CREATE_SCRIPT, DELETE_SCRIPT, kindCommandEnvironment } from "./commands";
import { AUDIT_LOG_PATH, auditLogCommand } from "./kindConfig";

export interface KindClusterArgs {
    /** Name of the kind cluster. It is fixed for the cluster's life: changing it replaces the cluster. */
    name: string;
    /** kindest/node image, with a tag and ideally a digest. Changing it replaces the cluster. */
    nodeImage: string;
    /** Namespace whose Pod requests the API server's audit policy logs. */
    auditNamespace: string;
    /** Absolute directory, one per stack, where the kind config and audit policy are written. */
    workDir: string;
}

/**
 * A kind cluster whose API server writes an audit log of the Pod requests in one namespace.
 *
 * Created and deleted with the `kind` CLI through a `local.Command`. Any change of name, image or generated
 * configuration replaces the cluster; the old one is deleted first because the name is fixed — by the new
 * create script, not by `deleteBeforeReplace` (see commands.ts).
 */
export class KindCluster extends pulumi.ComponentResource {
    /** The kind cluster's name (its kubeconfig context is `kind-<name>`). */
    readonly clusterName: pulumi.Output<string>;
    /** Kubeconfig of the cluster (a secret). */
    readonly kubeconfig: pulumi.Output<string>;
    /** Path of the audit log inside the control-plane node. */
    readonly auditLogPath: pulumi.Output<string>;
    /** Shell command that prints the audit log. */
    readonly auditLogCommand: pulumi.Output<string>;

    constructor(name: string, args: KindClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("kuberay-pod-security:index:KindCluster", name, {}, opts);
        if (!path.isAbsolute(args.workDir)) {
            throw new Error(`KindCluster workDir must be an absolute path, got ${JSON.stringify(args.workDir)}`);
        }
        const environment = kindCommandEnvironment({
            clusterName: args.name,
            nodeImage: args.nodeImage,
            workDir: args.workDir,
            auditNamespace: args.auditNamespace,
            owner: `${pulumi.getProject()}/${pulumi.getStack()}`,
        });
        const cluster = new command.local.Command(
            `${name}-kind`,
            {
                create: CREATE_SCRIPT,
                delete: DELETE_SCRIPT,
                environment,
                // Everything that defines the cluster; a change means a new cluster.
                triggers: [environment],
                // stdout is the kubeconfig: keep it out of the logs.
                logging: "stderr",
            },
            // Not deleteBeforeReplace (pulumi/pulumi#14650): the create script deletes the old cluster first.
            { parent: this, additionalSecretOutputs: ["stdout"] },
        );

        this.clusterName = pulumi.output(args.name);
        this.kubeconfig = pulumi.secret(cluster.stdout);
        this.auditLogPath = pulumi.output(AUDIT_LOG_PATH);
        this.auditLogCommand = pulumi.output(auditLogCommand(args.name));
        this.registerOutputs({
            clusterName: this.clusterName,
            kubeconfig: this.kubeconfig,
            auditLogPath: this.auditLogPath,
            auditLogCommand: this.auditLogCommand,
        });
    }
}
