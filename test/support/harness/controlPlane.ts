/**
 * A real Kubernetes control plane as local processes (envtest's approach, carried further): etcd and the
 * API server on loopback with Pod Security Admission and an audit log, the controller manager and the
 * scheduler, kwok playing the kubelet for one fake node (Pods get Running and Ready), and the KubeRay
 * operator v1.7.0 watching the test namespaces (see kuberayOperator.ts).
 */

import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as k8s from "@kubernetes/client-node";
import { stringify } from "yaml";
import { buildAuditPolicy } from "../../../components/kind/kindConfig";
import { adminKubeconfig, createPki, writePki } from "./certificates";
import { RawApi } from "./rawApi";
import { freePort } from "../ports";
import { ManagedProcess, startProcess, stopProcess, waitFor } from "./processes";
import { installOperatorCrds, OperatorMode, OperatorSupervisor } from "./kuberayOperator";
import { PreparedNode, prepareRealNode, RealNode } from "./realNode";
import { projectPath } from "../paths";
import { NODE_IP } from "../pinned";
import { httpGet, waitForNodeReady } from "./probes";

export interface ControlPlaneOptions {
    /** Namespace whose Pod requests the audit policy logs (the program's own policy builder makes it). */
    auditNamespace: string;
    /** Namespaces the harness's KubeRay operator watches (`install`, `await-chart`). */
    operatorNamespaces?: string[];
    /** `install` (default): the harness installs the KubeRay CRDs and runs the operator. `await-chart`: the
     *  program under test installs the chart; the operator runs while its CRDs and Deployment exist.
     *  `in-cluster` (real node only): the harness runs none; the chart's Deployment runs the operator image as a
     *  Pod on the node, with its in-cluster configuration. */
    operator?: OperatorMode | "in-cluster";
    /** An audit policy file to use instead of the program's policy for `auditNamespace` (kind's config names one). */
    auditPolicyFile?: string;
    /** Where the API server writes its audit log; default: in the run folder. */
    auditLogPath?: string;
    /** Run folder to use; default: a new /tmp/krps-e2e-* folder. */
    runDir?: string;
    /** `kwok` (default): one fake node, Pods Running without running anything. `real`: a kubelet on
     *  containerd that runs them (realNode.ts; root only, images from `npm run node:images`). */
    node?: "kwok" | "real";
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
    /** The harness's operator process (absent with `in-cluster`). */
    operator?: OperatorSupervisor;
    /** The real node, when `node: "real"`. */
    realNode?: RealNode;
    /** Stops the API server (etcd keeps the data); `startApiServer` brings it back on the same address. */
    stopApiServer(): Promise<void>;
    startApiServer(): Promise<void>;
    stop(): Promise<void>;
}

export const NODE_NAME = "kwok-node-0";

const TOOL_FILES = ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kwok", "kuberay-operator", "kwok-stages.yaml"];
const REAL_NODE_TOOL_FILES = ["kubelet", "kube-proxy", "coredns", "pause"];

/** Where a real node keeps its image store between runs. */
export function containerdRootDir(): string {
    return path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache"), "kuberay-pod-security", "containerd");
}

/** Where `npm run e2e:tools` put the binaries for the current pins; throws naming what is missing. */
export function toolsDir(required: string[] = TOOL_FILES): string {
    const dir = execFileSync("bash", [projectPath("test", "support", "tools", "build.sh"), "--dir"], { encoding: "utf8" }).trim();
    const missing = required.filter((file) => !fs.existsSync(path.join(dir, file)));
    if (missing.length > 0) {
        throw new Error(`The e2e tools are not built (${missing.join(", ")} missing in ${dir}): run \`npm run e2e:tools\` first.`);
    }
    return dir;
}

export async function startControlPlane(options: ControlPlaneOptions): Promise<ControlPlane> {
    const started = Date.now();
    const phases: Record<string, number> = {};
    const phase = (name: string) => (phases[name] = Date.now() - started);
    const nodeKind = options.node ?? "kwok";
    const bin = toolsDir(nodeKind === "real" ? [...TOOL_FILES, ...REAL_NODE_TOOL_FILES] : TOOL_FILES);
    const runDir = options.runDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "krps-e2e-"));
    const logs = path.join(runDir, "logs");
    fs.mkdirSync(logs, { recursive: true });
    const processes: ManagedProcess[] = [];
    let operator: OperatorSupervisor | undefined;
    let preparedNode: PreparedNode | undefined;
    let realNode: RealNode | undefined;
    const stop = async () => {
        await operator?.stop();
        // The node deletes its Pods through the API server: it goes before the control plane, and its host
        // side (the address the API server listens on) after it.
        await preparedNode?.stop();
        for (const managed of [...processes].reverse()) {
            await stopProcess(managed);
        }
        preparedNode?.release();
    };
    try {
        // A real node's Pods reach the API server through the `kubernetes` Service, as in any cluster: the API
        // server listens on the node's address (on the node's bridge), advertises it, and keeps the Service's
        // endpoint. The kwok node runs nothing: loopback only, no endpoint (envtest does the same).
        if (nodeKind === "real") preparedNode = await prepareRealNode({ runDir, containerdRoot: containerdRootDir() });
        const apiAddress = nodeKind === "real" ? NODE_IP : "127.0.0.1";
        phase("node host");
        const pki = createPki(nodeKind === "real" ? [NODE_IP] : []);
        const files = writePki(pki, path.join(runDir, "pki"));
        const auditPolicyPath = options.auditPolicyFile ?? path.join(runDir, "audit-policy.yaml");
        if (!options.auditPolicyFile) fs.writeFileSync(auditPolicyPath, stringify(buildAuditPolicy(options.auditNamespace)));
        const auditLogPath = options.auditLogPath ?? path.join(runDir, "kube-apiserver-audit.log");
        fs.mkdirSync(path.dirname(auditLogPath), { recursive: true });

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

        const server = `https://${apiAddress}:${apiPort}`;
        const apiServerArgs = [
            `--etcd-servers=http://127.0.0.1:${etcdPort}`,
            `--bind-address=${apiAddress}`,
            `--advertise-address=${apiAddress}`,
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
            `--endpoint-reconciler-type=${nodeKind === "real" ? "lease" : "none"}`,
            // Pod Security Admission is on by default; the audit log is what the tutorial reads.
            `--audit-policy-file=${auditPolicyPath}`,
            `--audit-log-path=${auditLogPath}`,
            // logs, exec and port-forward reach a real node's kubelet with the admin's certificate.
            `--kubelet-client-certificate=${files.adminCert}`,
            `--kubelet-client-key=${files.adminKey}`,
            "--kubelet-preferred-address-types=InternalIP",
        ];
        const tls = { ca: pki.caCert, cert: pki.adminCert, key: pki.adminKey };
        let apiserver = startProcess("kube-apiserver", path.join(bin, "kube-apiserver"), apiServerArgs, logs);
        processes.push(apiserver);
        phase("etcd ready");
        const apiServerReady = () => waitFor("kube-apiserver /readyz", async () => (await httpGet(`${server}/readyz`, tls)) === "ok", 60_000, apiserver);
        await apiServerReady();
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

        const kubeConfig = new k8s.KubeConfig();
        kubeConfig.loadFromFile(kubeconfigPath);
        const mode = options.operator ?? "install";
        if (mode === "in-cluster" && nodeKind !== "real") throw new Error("operator: in-cluster needs node: real");
        const nodeReady =
            nodeKind === "real"
                ? preparedNode!.start({ bin, kubeconfigPath, caCertPath: files.caCert, kubeConfig }).then((node) => {
                      realNode = node;
                      for (const [name, ms] of Object.entries(node.phases)) phases[`node: ${name}`] = ms;
                      phase("real node Ready");
                  })
                : startFakeNode(bin, kubeconfigPath, logs, kubeConfig, processes).then(() => phase("kwok node Ready"));
        if (mode === "install") {
            // The operator's watches fail without its CRDs: install them (the chart's, as the program does)
            // while kwok brings its node up.
            const raw = RawApi.fromKubeconfig(kubeconfigPath);
            await Promise.all([
                nodeReady,
                installOperatorCrds(raw, kubeConfig.makeApiClient(k8s.ApiextensionsV1Api), apiserver).then(() => phase("CRDs established")),
            ]).finally(() => raw.close());
        } else {
            await nodeReady;
        }

        if (mode !== "in-cluster") {
            operator = new OperatorSupervisor(
                { mode, binary: path.join(bin, "kuberay-operator"), kubeconfigPath, namespaces: options.operatorNamespaces ?? [], logDir: logs },
                kubeConfig,
            );
            await operator.start();
        }

        const readyMs = phase({ install: "KubeRay operator ready", "await-chart": "ready (operator awaits the chart)", "in-cluster": "ready (the chart runs the operator)" }[mode]);
        const stopApiServer = async () => {
            await stopProcess(apiserver);
        };
        const startApiServer = async () => {
            processes.splice(processes.indexOf(apiserver), 1, (apiserver = startProcess("kube-apiserver", path.join(bin, "kube-apiserver"), apiServerArgs, logs)));
            await apiServerReady();
        };
        return { server, kubeconfigPath, kubeConfig, auditLogPath, runDir, apiServerReadyMs, readyMs, phases, version, operator, realNode, stopApiServer, startApiServer, stop };
    } catch (error) {
        // The start-up error first; a failing cleanup (something left on the host) is added to it.
        const stopped = await stop().then(() => "", (stopError) => `\n${(stopError as Error).message}`);
        throw new Error(`${(error as Error).message}\n(process logs: ${logs})${stopped}`);
    }
}


async function startFakeNode(bin: string, kubeconfigPath: string, logs: string, kubeConfig: k8s.KubeConfig, processes: ManagedProcess[]): Promise<void> {
    const kwok = startProcess("kwok", path.join(bin, "kwok"), [
        `--kubeconfig=${kubeconfigPath}`,
        `--config=${path.join(bin, "kwok-stages.yaml")}`,
        "--manage-all-nodes=true",
        "--node-lease-duration-seconds=40",
        `--server-address=127.0.0.1:${await freePort()}`,
    ], logs);
    processes.push(kwok);
    await createFakeNode(kubeConfig.makeApiClient(k8s.CoreV1Api), kwok);
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
    await waitForNodeReady(core, NODE_NAME, 30_000, kwok);
}


