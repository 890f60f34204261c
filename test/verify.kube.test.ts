/** The client-node shell against a local stand-in API server, and exec / port-forward over fake web sockets. */

import { EventEmitter } from "events";
import * as http from "http";
import * as net from "net";
import { afterEach, describe, expect, it } from "vitest";
import { UsageError } from "../lib/cli/errors";
import { KubeCluster, loadKubeConfig, WebSocketInterface } from "../verify/kube/kubeCluster";
import { RayJobsClient } from "../verify/ray/rayJobsClient";
import { HEALTHY_PODS, readyRayCluster } from "./helpers/verifyFakes";
import { FakeJobsServer, startFakeJobsServer } from "./helpers/verifyJobsServer";

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
});

function kubeconfig(server: string): string {
    return `apiVersion: v1
kind: Config
clusters:
- name: fake
  cluster: {server: "${server}", insecure-skip-tls-verify: true}
users:
- name: fake
  user: {token: t0k3n}
contexts:
- name: kind-kuberay-dev
  context: {cluster: fake, user: fake}
- name: elsewhere
  context: {cluster: nowhere, user: fake}
current-context: elsewhere
`;
}

/** Answers the two reads verify makes, as the API server does (JSON, 404 Status). */
async function fakeApiServer(): Promise<{ url: string; requests: string[] }> {
    const requests: string[] = [];
    const server = http.createServer((req, res) => {
        requests.push(`${req.method} ${req.url} ${req.headers.authorization}`);
        const send = (code: number, body: unknown) => res.writeHead(code, { "content-type": "application/json" }).end(JSON.stringify(body));
        const url = new URL(req.url ?? "", "http://x");
        if (url.pathname === "/apis/ray.io/v1/namespaces/pod-security/rayclusters/raycluster-pod-security") {
            return send(200, { apiVersion: "ray.io/v1", kind: "RayCluster", ...readyRayCluster() });
        }
        if (url.pathname === "/api/v1/namespaces/pod-security/pods" && url.searchParams.get("labelSelector") === "ray.io/cluster=raycluster-pod-security") {
            return send(200, { apiVersion: "v1", kind: "PodList", metadata: { resourceVersion: "1234" }, items: HEALTHY_PODS });
        }
        const name = url.pathname.split("/").pop();
        send(404, { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: `rayclusters.ray.io "${name}" not found`, reason: "NotFound", details: { name, group: "ray.io", kind: "rayclusters" }, code: 404 });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    cleanups.push(() => new Promise((resolve) => server.close(resolve)));
    return { url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`, requests };
}

/** A web socket as client-node sees one: send(), close(), a `close` event. */
class FakeSocket extends EventEmitter {
    protocol = "v4.channel.k8s.io";
    readyState = 1;
    sent: Buffer[] = [];
    onSend: (data: Buffer) => void = () => undefined;
    send(data: Buffer) {
        this.sent.push(data);
        this.onSend(data);
    }
    close() {
        if (this.readyState === 3) return;
        this.readyState = 3;
        this.emit("close");
    }
}

describe("KubeCluster reads", () => {
    it("uses the stack's context, gets the RayCluster (undefined on 404) and lists its Pods by label", async () => {
        const api = await fakeApiServer();
        const cluster = new KubeCluster(loadKubeConfig(kubeconfig(api.url), "kind-kuberay-dev"));
        expect((await cluster.getRayCluster("pod-security", "raycluster-pod-security"))?.status?.state).toBe("ready");
        expect(await cluster.getRayCluster("pod-security", "missing")).toBeUndefined();
        expect((await cluster.listRayPods("pod-security", "raycluster-pod-security")).map((p) => p.metadata?.name)).toEqual(HEALTHY_PODS.map((p) => p.metadata?.name));
        expect(api.requests).toEqual([
            "GET /apis/ray.io/v1/namespaces/pod-security/rayclusters/raycluster-pod-security Bearer t0k3n",
            "GET /apis/ray.io/v1/namespaces/pod-security/rayclusters/missing Bearer t0k3n",
            "GET /api/v1/namespaces/pod-security/pods?labelSelector=ray.io%2Fcluster%3Draycluster-pod-security Bearer t0k3n",
        ]);
    });

    it("names a context the kubeconfig does not have", () => {
        expect(() => loadKubeConfig(kubeconfig("http://127.0.0.1:1"), "kind-gone")).toThrow(new UsageError('the kubeconfig has no context "kind-gone"'));
    });
});

describe("KubeCluster exec", () => {
    function execHandler(paths: string[], script: (socket: FakeSocket, binary: (stream: number, data: Buffer) => boolean) => void): WebSocketInterface {
        return {
            connect: async (path, _text, binary) => {
                paths.push(path);
                const socket = new FakeSocket();
                setImmediate(() => script(socket, binary!));
                return socket as never;
            },
        };
    }
    const config = loadKubeConfig(kubeconfig("http://127.0.0.1:1"), "kind-kuberay-dev");
    const status = (body: object) => Buffer.from(JSON.stringify(body));

    it("runs the command in the container and reads exit code 0 from the Status channel", async () => {
        const paths: string[] = [];
        const cluster = new KubeCluster(config, execHandler(paths, (socket, binary) => {
            binary(1, Buffer.from("Successfully installed jsonpatch-1.33 jsonpointer-3.0.0\n"));
            if (!binary(3, status({ metadata: {}, status: "Success" }))) socket.close();
        }));
        const result = await cluster.exec("pod-security", "raycluster-pod-security-head-8w2kq", "ray-head", ["pip", "install", "jsonpatch"], 5_000);
        expect(result).toEqual({ exitCode: 0, timedOut: false, error: undefined, stdout: "Successfully installed jsonpatch-1.33 jsonpointer-3.0.0\n", stderr: "" });
        expect(paths).toEqual([
            "/api/v1/namespaces/pod-security/pods/raycluster-pod-security-head-8w2kq/exec?stdout=true&stderr=true&stdin=false&tty=false&command=pip&command=install&command=jsonpatch&container=ray-head",
        ]);
    });

    it("reads a non-zero exit code, and gives up after the timeout", async () => {
        const failing = new KubeCluster(config, execHandler([], (socket, binary) => {
            binary(2, Buffer.from("ERROR: No matching distribution found for jsonpatch\n"));
            const failure = { status: "Failure", message: "command terminated with non-zero exit code: exit code 1", reason: "NonZeroExitCode", details: { causes: [{ reason: "ExitCode", message: "1" }] } };
            if (!binary(3, status(failure))) socket.close();
        }));
        expect(await failing.exec("ns", "p", "c", ["pip"], 5_000)).toMatchObject({ exitCode: 1, timedOut: false, stderr: "ERROR: No matching distribution found for jsonpatch\n" });
        const silent = new KubeCluster(config, execHandler([], () => undefined));
        const timedOut = await silent.exec("ns", "p", "c", ["pip"], 50);
        expect(timedOut.timedOut).toBe(true);
        expect(timedOut.exitCode).toBeUndefined();
    });
});

describe("KubeCluster port-forward", () => {
    /** Bridges each port-forward web socket to a TCP server, framing data as the API server does. */
    function bridgeTo(port: number, paths: string[]): WebSocketInterface {
        return {
            connect: async (path, _text, binary) => {
                paths.push(path);
                const socket = new FakeSocket();
                const upstream = net.connect(port, "127.0.0.1");
                const portBytes = Buffer.from([port & 0xff, port >> 8]);
                // Each channel's first frame is the port number (2 bytes, little endian).
                setImmediate(() => {
                    binary!(0, portBytes);
                    binary!(1, portBytes);
                });
                socket.onSend = (data) => upstream.write(data.subarray(1));
                upstream.on("data", (data: Buffer) => binary!(0, data));
                upstream.on("close", () => socket.close());
                socket.on("close", () => upstream.destroy());
                return socket as never;
            },
        };
    }

    it("carries the Ray Jobs API from a local port to the head Pod's dashboard port", async () => {
        const jobs: FakeJobsServer = await startFakeJobsServer(() => ({ statuses: ["SUCCEEDED"] }));
        cleanups.push(() => jobs.close());
        const paths: string[] = [];
        const config = loadKubeConfig(kubeconfig("http://127.0.0.1:1"), "kind-kuberay-dev");
        const cluster = new KubeCluster(config, bridgeTo(Number(new URL(jobs.url).port), paths));
        const forwarded = await cluster.portForward("pod-security", "raycluster-pod-security-head-8w2kq", 8265);
        try {
            const client = new RayJobsClient(`http://127.0.0.1:${forwarded.port}`, 5_000);
            expect((await client.version()).ray_version).toBe("2.52.0");
            const { submission_id } = await client.submit({ entrypoint: "python /home/ray/samples/xgboost_example.py" });
            expect((await client.status(submission_id)).status).toBe("SUCCEEDED");
        } finally {
            await forwarded.close();
        }
        expect(paths.length).toBeGreaterThanOrEqual(1);
        expect(paths[0]).toBe("/api/v1/namespaces/pod-security/pods/raycluster-pod-security-head-8w2kq/portforward?ports=8265");
        expect(jobs.requests.map((r) => r.split(" ")[0])).toEqual(["GET", "POST", "GET"]);
    });
});

describe("loadKubeConfig from the kubeconfig's own file", () => {
    it("resolves paths inside it relative to the file, which its contents alone cannot", () => {
        const fs = require("fs") as typeof import("fs");
        const os = require("os") as typeof import("os");
        const path = require("path") as typeof import("path");
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kubeconfig-"));
        fs.writeFileSync(path.join(dir, "ca.crt"), "not really a certificate");
        const file = path.join(dir, "config");
        fs.writeFileSync(file, kubeconfig("https://127.0.0.1:1").replace("{server:", "{certificate-authority: ca.crt, server:"));
        const fromFile = loadKubeConfig(fs.readFileSync(file, "utf8"), "kind-kuberay-dev", file);
        expect(fromFile.getCurrentCluster()?.caFile).toBe(path.join(dir, "ca.crt"));
        const fromContents = loadKubeConfig(fs.readFileSync(file, "utf8"), "kind-kuberay-dev");
        expect(fromContents.getCurrentCluster()?.caFile).toBe("ca.crt");
    });
});
