/**
 * The KubeRay operator of the harness: the v1.7.0 binary as a local process, and the CRDs it needs.
 *
 * Two ways to run it. `install`: the harness creates the chart's CRDs and runs the operator for the whole run
 * (the e2e suite applies the program's builders without Pulumi). `await-chart`: the program under test
 * installs the chart itself, so the operator runs exactly while a real cluster would run it — while the
 * chart's CRDs are established and its operator Deployment exists — and stops when `pulumi destroy` removes
 * them. Either way a crashed operator is started again.
 */

import * as fs from "fs";
import * as path from "path";
import * as k8s from "@kubernetes/client-node";
import { parse } from "yaml";
import { freePort } from "../ports";
import { sharedPath } from "../shared";
import { ManagedProcess, startProcess, stopProcess, waitFor } from "./processes";
import { RawApi } from "./rawApi";

/** The kuberay-operator chart the program installs (its `crds/` are what the harness installs too). */
export const KUBERAY_CHART_DIR = "vendor/kuberay-v1.7.0/helm-chart/kuberay-operator";

/** The CRDs operator v1.7.0 watches with its default feature gates (RayCronJob's controller is off). */
export const OPERATOR_CRDS = ["rayclusters.ray.io", "rayjobs.ray.io", "rayservices.ray.io"];

export type OperatorMode = "install" | "await-chart";

export interface OperatorOptions {
    mode: OperatorMode;
    binary: string;
    kubeconfigPath: string;
    namespaces: string[];
    logDir: string;
}

export class OperatorSupervisor {
    private current?: ManagedProcess;
    private healthPort = 0;
    private stopped = false;
    private held = false;
    private loop?: Promise<void>;
    /** How many times the operator process was started. */
    starts = 0;

    constructor(
        private readonly options: OperatorOptions,
        private readonly kubeConfig: k8s.KubeConfig,
    ) {}

    /** Starts supervising; in `install` mode resolves once the operator answers /readyz. */
    async start(): Promise<void> {
        this.loop = this.supervise();
        if (this.options.mode === "install") {
            await waitFor("KubeRay operator /readyz", async () => this.current !== undefined && (await this.ready()), 60_000);
        }
    }

    async ready(): Promise<boolean> {
        if (!this.running()) return false;
        const response = await fetch(`http://127.0.0.1:${this.healthPort}/readyz`).catch(() => undefined);
        return response?.ok === true;
    }

    running(): boolean {
        return this.current !== undefined && this.current.child.exitCode === null && this.current.child.signalCode === null;
    }

    /** Stops the operator and keeps it stopped until `release` (a test's way to keep a RayCluster waiting). */
    async hold(): Promise<void> {
        this.held = true;
        if (this.current) await stopProcess(this.current);
    }

    release(): void {
        this.held = false;
    }

    async stop(): Promise<void> {
        this.stopped = true;
        await this.loop;
        if (this.current) await stopProcess(this.current);
    }

    private async supervise(): Promise<void> {
        const apiext = this.kubeConfig.makeApiClient(k8s.ApiextensionsV1Api);
        const apps = this.kubeConfig.makeApiClient(k8s.AppsV1Api);
        while (!this.stopped) {
            const wanted = !this.held && (this.options.mode === "install" || (await this.chartInstalled(apiext, apps).catch(() => this.running())));
            if (wanted && !this.running()) {
                await this.launch();
            } else if (!wanted && this.running()) {
                await stopProcess(this.current!);
            }
            await new Promise((resolve) => setTimeout(resolve, 500));
        }
    }

    /** The chart's CRDs are established and its operator Deployment exists in a watched namespace. */
    private async chartInstalled(apiext: k8s.ApiextensionsV1Api, apps: k8s.AppsV1Api): Promise<boolean> {
        for (const name of OPERATOR_CRDS) {
            const crd = await apiext.readCustomResourceDefinition({ name }).catch(() => undefined);
            if (!crd || crd.metadata?.deletionTimestamp || !(crd.status?.conditions ?? []).some((c) => c.type === "Established" && c.status === "True")) {
                return false;
            }
        }
        for (const namespace of this.options.namespaces) {
            const deployments = await apps.listNamespacedDeployment({ namespace, labelSelector: "app.kubernetes.io/name=kuberay-operator" });
            if (deployments.items.some((d) => !d.metadata?.deletionTimestamp)) return true;
        }
        return false;
    }

    private async launch(): Promise<void> {
        this.healthPort = await freePort();
        this.starts++;
        this.current = startProcess(
            "kuberay-operator",
            this.options.binary,
            [
                "--enable-leader-election=false",
                `--metrics-addr=127.0.0.1:${await freePort()}`,
                `--health-probe-bind-address=127.0.0.1:${this.healthPort}`,
                `--watch-namespace=${this.options.namespaces.join(",")}`,
                "--log-stdout-encoder=console",
            ],
            this.options.logDir,
            { KUBECONFIG: this.options.kubeconfigPath },
        );
    }
}

/** The chart's CRDs the operator watches, created as the program would (create, not apply: ~1 MB each). */
export async function installOperatorCrds(raw: RawApi, api: k8s.ApiextensionsV1Api, apiserver: ManagedProcess): Promise<void> {
    const crdDir = sharedPath(`${KUBERAY_CHART_DIR}/crds`);
    const files = fs.readdirSync(crdDir).map((file) => path.join(crdDir, file));
    // All at once: the API server builds each large schema on its own.
    await Promise.all(
        files.map(async (file) => {
            const crd = parse(fs.readFileSync(file, "utf8")) as k8s.V1CustomResourceDefinition;
            if (!OPERATOR_CRDS.includes(crd.metadata!.name!)) return;
            const created = await raw.request("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd);
            if (created.status !== 201) {
                throw new Error(`creating CRD ${crd.metadata?.name} from ${file}: HTTP ${created.status}: ${created.body?.message}`);
            }
            await waitFor(
                `CRD ${crd.metadata?.name} established`,
                async () => ((await api.readCustomResourceDefinition({ name: crd.metadata!.name! })).status?.conditions ?? []).some((c) => c.type === "Established" && c.status === "True"),
                60_000,
                apiserver,
            );
        }),
    );
}
