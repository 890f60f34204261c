/**
 * A real Kubernetes control plane as local processes (envtest's approach, carried further): etcd and the
 * API server on loopback with Pod Security Admission and an audit log, the controller manager and the
 * scheduler, kwok playing the kubelet for one fake node (Pods get Running and Ready), and the KubeRay
 * operator watching the test namespaces.
 */

import { execFileSync } from "child_process";
import * as fs from "fs";
import * as https from "https";
import * as os from "os";
import * as path from "path";
import * as k8s from "@kubernetes/client-node";
import { parse, stringify } from "yaml";
import { buildAuditPolicy } from "../../../components/kind/kindConfig";
import { adminKubeconfig, createPki, writePki } from "./certificates";
import { RawApi } from "./rawApi";
import { freePort } from "../../helpers/ports";
import { ManagedProcess, startProcess, stopProcess, waitFor } from "./processes";
import { sharedPath } from "../../helpers/shared";

export interface ControlPlaneOptions {
    /** Namespace whose Pod requests the audit policy logs (the program's own policy builder makes it). */
    auditNamespace: string;
    /** Namespaces the KubeRay operator watches. */
    operatorNamespaces: string[];
}

export interface ControlPlane {
    server: string;
    kubeconfigPath: string;
    auditLogPath: string;
    /** Folder with every process's log, the PKI and the audit log; kept after the run. */
    runDir: string;
    /** Milliseconds from start until the API server answered /readyz. */
    apiServerReadyMs: number;
    /** Milliseconds from start until every process was up (node Ready, operator healthy). */
    readyMs: number;
    /** Milliseconds since start at which each phase ended, for the performance figures. */
    phases: Record<string, number>;
    /** The API server's version, e.g. v1.37.2. */
    version: string;
    /** Client configuration for the admin user. */
    kubeConfig: k8s.KubeConfig;
    stop(): Promise<void>;
}

export const NODE_NAME = "kwok-node-0";

/** Where `npm run e2e:tools` put the binaries for the current pins. */
export function toolsDir(): string {
    const dir = execFileSync("bash", [path.join(__dirname, "..", "tools", "build.sh"), "--dir"], { encoding: "utf8" }).trim();
    const missing = ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kwok", "kuberay-operator", "kwok-stages.yaml", "kuberay-crds"].filter(
        (file) => !fs.existsSync(path.join(dir, file)),
    );
    if (missing.length > 0) {
        throw new Error(`The e2e tools are not built (${missing.join(", ")} missing in ${dir}): run \`npm run e2e:tools\` first.`);
    }
    return dir;
}

export async function startControlPlane(options: ControlPlaneOptions): Promise<ControlPlane> {
    const started = Date.now();
    const phases: Record<string, number> = {};
    const phase = (name: string) => (phases[name] = Date.now() - started);
    const bin = toolsDir();
    const runDir = fs.mkdtempSync(path.join(os.tmpdir(), "krps-e2e-"));
    const logs = path.join(runDir, "logs");
    fs.mkdirSync(logs);
    const processes: ManagedProcess[] = [];
    const stop = async () => {
        for (const managed of [...processes].reverse()) {
            await stopProcess(managed);
        }
    };
    try {
        const pki = createPki();
        const files = writePki(pki, path.join(runDir, "pki"));
        const auditPolicyPath = path.join(runDir, "audit-policy.yaml");
        fs.writeFileSync(auditPolicyPath, stringify(buildAuditPolicy(options.auditNamespace)));
        const auditLogPath = path.join(runDir, "kube-apiserver-audit.log");

        const [etcdPort, etcdPeerPort, apiPort] = [await freePort(), await freePort(), await freePort()];
        const etcd = startProcess("etcd", path.join(bin, "etcd"), [
            "--name=e2e",
            `--data-dir=${path.join(runDir, "etcd")}`,
            `--listen-client-urls=http://127.0.0.1:${etcdPort}`,
            `--advertise-client-urls=http://127.0.0.1:${etcdPort}`,
            `--listen-peer-urls=http://127.0.0.1:${etcdPeerPort}`,
            `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeerPort}`,
            `--initial-cluster=e2e=http://127.0.0.1:${etcdPeerPort}`,
            "--unsafe-no-fsync",
            "--log-level=warn",
        ], logs);
        processes.push(etcd);
        phase("pki");
        await waitFor("etcd", async () => (await httpGet(`http://127.0.0.1:${etcdPort}/health`)).includes('"health":"true"'), 30_000, etcd);

        const server = `https://127.0.0.1:${apiPort}`;
        const apiserver = startProcess("kube-apiserver", path.join(bin, "kube-apiserver"), [
            `--etcd-servers=http://127.0.0.1:${etcdPort}`,
            "--bind-address=127.0.0.1",
            "--advertise-address=127.0.0.1",
            `--secure-port=${apiPort}`,
            `--cert-dir=${path.join(runDir, "apiserver-certs")}`,
            `--tls-cert-file=${files.servingCert}`,
            `--tls-private-key-file=${files.servingKey}`,
            `--client-ca-file=${files.caCert}`,
            "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
            `--service-account-key-file=${files.serviceAccountPublicKey}`,
            `--service-account-signing-key-file=${files.serviceAccountKey}`,
            "--service-cluster-ip-range=10.96.0.0/16",
            "--authorization-mode=Node,RBAC",
            "--allow-privileged=true",
            // Loopback cannot be published as the kubernetes Service endpoint (envtest does the same).
            "--endpoint-reconciler-type=none",
            // Pod Security Admission is on by default; the audit log is what the tutorial reads.
            `--audit-policy-file=${auditPolicyPath}`,
            `--audit-log-path=${auditLogPath}`,
        ], logs);
        processes.push(apiserver);
        phase("etcd ready");
        const tls = { ca: pki.caCert, cert: pki.adminCert, key: pki.adminKey };
        await waitFor("kube-apiserver /readyz", async () => (await httpGet(`${server}/readyz`, tls)) === "ok", 60_000, apiserver);
        const apiServerReadyMs = phase("kube-apiserver ready");
        const version = JSON.parse(await httpGet(`${server}/version`, tls)).gitVersion as string;

        const kubeconfigPath = path.join(runDir, "admin.kubeconfig");
        fs.writeFileSync(kubeconfigPath, adminKubeconfig(server, pki), { mode: 0o600 });

        processes.push(
            startProcess("kube-controller-manager", path.join(bin, "kube-controller-manager"), [
                `--kubeconfig=${kubeconfigPath}`,
                "--bind-address=127.0.0.1",
                `--secure-port=${await freePort()}`,
                "--leader-elect=false",
                `--service-account-private-key-file=${files.serviceAccountKey}`,
                `--root-ca-file=${files.caCert}`,
                "--use-service-account-credentials=false",
            ], logs),
            startProcess("kube-scheduler", path.join(bin, "kube-scheduler"), [
                `--kubeconfig=${kubeconfigPath}`,
                "--bind-address=127.0.0.1",
                `--secure-port=${await freePort()}`,
                "--leader-elect=false",
            ], logs),
        );

        const kwok = startProcess("kwok", path.join(bin, "kwok"), [
            `--kubeconfig=${kubeconfigPath}`,
            `--config=${path.join(bin, "kwok-stages.yaml")}`,
            "--manage-all-nodes=true",
            "--node-lease-duration-seconds=40",
            `--server-address=127.0.0.1:${await freePort()}`,
        ], logs);
        processes.push(kwok);

        const kubeConfig = new k8s.KubeConfig();
        kubeConfig.loadFromFile(kubeconfigPath);
        // The operator's watches fail without its CRDs: install them (the chart's, as the program does)
        // while kwok brings its node up.
        const raw = RawApi.fromKubeconfig(kubeconfigPath);
        await Promise.all([
            createFakeNode(kubeConfig.makeApiClient(k8s.CoreV1Api), kwok).then(() => phase("kwok node Ready")),
            installCrds(raw, kubeConfig.makeApiClient(k8s.ApiextensionsV1Api), bin, apiserver).then(() => phase("CRDs established")),
        ]).finally(() => raw.close());

        const operatorHealth = await freePort();
        const operator = startProcess(
            "kuberay-operator",
            path.join(bin, "kuberay-operator"),
            [
                "--enable-leader-election=false",
                `--metrics-addr=127.0.0.1:${await freePort()}`,
                `--health-probe-bind-address=127.0.0.1:${operatorHealth}`,
                `--watch-namespace=${options.operatorNamespaces.join(",")}`,
                "--log-stdout-encoder=console",
            ],
            logs,
            { KUBECONFIG: kubeconfigPath },
        );
        processes.push(operator);
        await waitFor("KubeRay operator /readyz", async () => (await httpGet(`http://127.0.0.1:${operatorHealth}/readyz`)) === "ok", 60_000, operator);

        const readyMs = phase("KubeRay operator ready");
        return { server, kubeconfigPath, kubeConfig, auditLogPath, runDir, apiServerReadyMs, readyMs, phases, version, stop };
    } catch (error) {
        await stop();
        throw new Error(`${(error as Error).message}\n(process logs: ${logs})`);
    }
}

/** GET over http(s) with optional client TLS; resolves with the body, rejects on non-2xx. */
export function httpGet(url: string, tls?: { ca: string; cert: string; key: string }): Promise<string> {
    return new Promise((resolve, reject) => {
        const request = (url.startsWith("https:") ? https : require("http")).get(url, { ...tls, timeout: 2000 }, (response: any) => {
            let body = "";
            response.setEncoding("utf8");
            response.on("data", (chunk: string) => (body += chunk));
            response.on("end", () => (response.statusCode < 300 ? resolve(body) : reject(new Error(`${url}: HTTP ${response.statusCode} ${body}`))));
        });
        request.on("error", reject);
        request.on("timeout", () => request.destroy(new Error(`${url}: timeout`)));
    });
}

/** One node that kwok manages: Pods scheduled to it become Running and Ready without running anything. */
async function createFakeNode(core: k8s.CoreV1Api, kwok: ManagedProcess): Promise<void> {
    await core.createNode({
        body: {
            metadata: { name: NODE_NAME, labels: { type: "kwok", "kubernetes.io/os": "linux" }, annotations: { "kwok.x-k8s.io/node": "fake" } },
            spec: {},
            status: {
                allocatable: { cpu: "64", memory: "256Gi", pods: "250" },
                capacity: { cpu: "64", memory: "256Gi", pods: "250" },
                nodeInfo: { architecture: "amd64", operatingSystem: "linux", kubeletVersion: "fake", kubeProxyVersion: "fake", bootID: "", containerRuntimeVersion: "", kernelVersion: "", machineID: "", osImage: "", systemUUID: "" },
            },
        },
    });
    await waitFor(
        `node ${NODE_NAME} Ready`,
        async () => ((await core.readNode({ name: NODE_NAME })).status?.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True"),
        30_000,
        kwok,
    );
}

/**
 * The RayCluster and RayJob CRDs of the KubeRay release the program installs, and the operator build's own
 * RayService CRD, which it also watches (create, not apply: ~1 MB each).
 */
async function installCrds(raw: RawApi, api: k8s.ApiextensionsV1Api, bin: string, apiserver: ManagedProcess): Promise<void> {
    const programCrds = ["ray.io_rayclusters.yaml", "ray.io_rayjobs.yaml"];
    // RayCronJob's controller is off by default (feature gate): its CRD is not needed.
    const operatorCrds = fs.readdirSync(path.join(bin, "kuberay-crds")).filter((file) => !programCrds.includes(file) && file !== "ray.io_raycronjobs.yaml");
    const files = [...programCrds.map((file) => sharedPath(`reference/kuberay-v1.7.0/crds/${file}`)), ...operatorCrds.map((file) => path.join(bin, "kuberay-crds", file))];
    // All at once: the API server builds each large schema on its own.
    await Promise.all(
        files.map(async (file) => {
            const crd = parse(fs.readFileSync(file, "utf8")) as k8s.V1CustomResourceDefinition;
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
