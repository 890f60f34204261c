import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { CREATE_SCRIPT, DELETE_SCRIPT, ImageArchiveStamp, IMAGES_SCRIPT, kindCommandEnvironment, kindGeneration, kindImagesEnvironment, kindImagesTriggers, KUBECONFIG_FILE_NAME } from "./commands";
import { AUDIT_LOG_PATH, auditLogCommand, kindWorkDir } from "./kindConfig";

export interface KindClusterArgs {
    /** Name of the kind cluster. It is fixed for the cluster's life: changing it replaces the cluster. */
    name: string;
    /** kindest/node image, with a tag and ideally a digest. Changing it replaces the cluster. */
    nodeImage: string;
    /** Namespace whose Pod requests the API server's audit policy logs. */
    auditNamespace: string;
    /**
     * Absolute directory, one per cluster, where the kind config, audit policy and kubeconfig are written.
     * Default: `$XDG_STATE_HOME/kuberay-pod-security/kind/<name>` (`~/.local/state/…`).
     */
    workDir?: string;
    /**
     * kubeadm config patches (each one YAML document with a `kind`, such as `KubeletConfiguration`) kind merges
     * into every node's kubeadm config: the kind config's top-level `kubeadmConfigPatches`, besides the
     * control-plane node's own audit patch. Changing them replaces the cluster. Default: none.
     */
    kubeadmConfigPatches?: string[];
    /**
     * TOML fragments kind merges into every node's containerd config: the kind config's top-level
     * `containerdConfigPatches`. Changing them replaces the cluster. Default: none.
     */
    containerdConfigPatches?: string[];
    /**
     * Absolute paths of image archives (docker save or OCI tarballs) loaded into the node with
     * `kind load image-archive` once the cluster exists; again when one is rebuilt (size or mtime) or the
     * cluster is made anew. Default: none.
     */
    imageArchives?: string[];
    /**
     * References of images in the local Docker loaded into the node with `kind load docker-image`, after the
     * archives. Default: none. With neither, no images Command is created.
     */
    localImages?: string[];
}

/**
 * A kind cluster whose API server writes an audit log of the Pod requests in one namespace.
 *
 * Created and deleted with the `kind` CLI through a `local.Command`. Any change of name, image or generated
 * configuration replaces the cluster; the old one is deleted first because the name is fixed — by the new
 * create script, not by `deleteBeforeReplace` (see commands.ts). Images to preload (`imageArchives`,
 * `localImages`) are `kind load`ed by a second Command, `<name>-images`, once the cluster exists.
 */
export class KindCluster extends pulumi.ComponentResource {
    /** The kind cluster's name (its kubeconfig context is `kind-<name>`). */
    readonly clusterName: pulumi.Output<string>;
    /** Kubeconfig of the cluster (a secret); with images to preload, known only once they are loaded. */
    readonly kubeconfig: pulumi.Output<string>;
    /** The kubeconfig as a file in the work folder (owner-only), written by `up`, removed by `destroy`. */
    readonly kubeconfigFile: string;
    /** Path of the audit log inside the control-plane node. */
    readonly auditLogPath: pulumi.Output<string>;
    /** Shell command that prints the audit log. */
    readonly auditLogCommand: pulumi.Output<string>;

    constructor(name: string, args: KindClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("kuberay-pod-security:index:KindCluster", name, {}, opts);
        const workDir = args.workDir ?? kindWorkDir(args.name, { home: os.homedir(), xdgStateHome: process.env.XDG_STATE_HOME });
        if (!path.isAbsolute(workDir)) {
            throw new Error(`KindCluster workDir must be an absolute path, got ${JSON.stringify(workDir)}`);
        }
        const owner = `${pulumi.getProject()}/${pulumi.getStack()}`;
        const environment = kindCommandEnvironment({
            clusterName: args.name,
            nodeImage: args.nodeImage,
            workDir: workDir,
            auditNamespace: args.auditNamespace,
            owner,
            generation: observedGeneration(workDir, owner, args.name),
            kubeadmConfigPatches: args.kubeadmConfigPatches,
            containerdConfigPatches: args.containerdConfigPatches,
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

        const imageArchives = args.imageArchives ?? [];
        const localImages = args.localImages ?? [];
        // No images, no Command: a stack without them keeps the state it always had.
        const images =
            imageArchives.length + localImages.length === 0
                ? undefined
                : new command.local.Command(
                      `${name}-images`,
                      {
                          create: IMAGES_SCRIPT,
                          environment: kindImagesEnvironment({ clusterName: args.name, imageArchives, localImages }),
                          // A rebuilt archive and a new cluster (a replaced cluster command) are loaded again.
                          triggers: kindImagesTriggers(environment, imageArchives.map(imageArchiveStamp), localImages),
                      },
                      { parent: this, dependsOn: [cluster] },
                  );

        this.clusterName = pulumi.output(args.name);
        // Whatever uses the cluster (the provider, so everything deployed) waits for the images too: the images
        // Command's URN comes back only once its create has run. Not its stdout: that is unknown at preview
        // whenever the images are (re)loaded, and an unknown kubeconfig makes the kubernetes provider plan the
        // replacement of everything it deployed (its DiffConfig cannot tell it is the same cluster).
        this.kubeconfig = pulumi.secret(images ? pulumi.all([cluster.stdout, images.urn]).apply(([kubeconfig]) => kubeconfig) : cluster.stdout);
        this.kubeconfigFile = path.join(workDir, KUBECONFIG_FILE_NAME);
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

/** Size and mtime of an image archive, for the images Command's triggers. */
function imageArchiveStamp(file: string): ImageArchiveStamp {
    if (!path.isAbsolute(file)) {
        throw new Error(`KindCluster imageArchives must be absolute paths, got ${JSON.stringify(file)}`);
    }
    let stat: fs.Stats;
    try {
        stat = fs.statSync(file);
    } catch (error) {
        throw new Error(`KindCluster image archive ${file} cannot be read: ${(error as Error).message}`);
    }
    return { path: file, size: stat.size, mtime: stat.mtime.toISOString() };
}

/**
 * The generation of this stack's cluster as the machine shows it now (see kindGeneration): the owner file the
 * create script wrote, and whether kind still lists the cluster. kind is asked only when the file says this
 * stack made a cluster; when kind cannot answer (Docker down, kind missing), nothing is concluded.
 */
function observedGeneration(workDir: string, owner: string, clusterName: string): number {
    let record: string | undefined;
    try {
        record = fs.readFileSync(path.join(workDir, "owner"), "utf8");
    } catch {
        return 0;
    }
    let listed: boolean | undefined;
    if (record.startsWith(`${owner} `)) {
        try {
            const clusters = execFileSync("kind", ["get", "clusters"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 60_000 });
            listed = clusters.split("\n").includes(clusterName);
        } catch {
            listed = undefined;
        }
    }
    return kindGeneration(record, owner, listed);
}
