/**
 * A local TCP port that forwards to a port of a Pod through the API server, as `kubectl port-forward` does:
 * one client-node PortForward web socket per accepted connection.
 */

import * as net from "net";
import { Writable } from "stream";
import type { PortForward } from "@kubernetes/client-node";
import { errorLine } from "../../lib/cli/errors";
import { ForwardedPort } from "./clusterApi";

export async function forwardLocalPort(forward: PortForward, namespace: string, pod: string, remotePort: number): Promise<ForwardedPort> {
    const sockets = new Set<net.Socket>();
    let failure: string | undefined;
    const fail = (socket: net.Socket, error: unknown) => {
        failure = errorLine(error);
        socket.destroy();
    };
    const server = net.createServer((socket) => {
        sockets.add(socket);
        socket.on("close", () => sockets.delete(socket));
        socket.on("error", () => socket.destroy());
        // The error channel carries e.g. "connection refused" from the Pod's side: end this connection. Its
        // first frame is only the port number, which client-node strips and passes on as an empty chunk.
        const errors = new Writable({
            write(chunk: Buffer, _encoding, done) {
                if (chunk.length > 0) fail(socket, chunk.toString());
                done();
            },
        });
        forward
            .portForward(namespace, pod, [remotePort], socket, errors, socket)
            .then((connection) => {
                const ws = typeof connection === "function" ? connection() : connection;
                // The local client hung up before the upstream socket opened: close it now.
                if (socket.destroyed) {
                    ws?.close();
                    return;
                }
                ws?.on("close", () => socket.end());
                socket.on("close", () => ws?.close());
            })
            .catch((error: unknown) => fail(socket, error));
    });
    await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => resolve());
    });
    return {
        port: (server.address() as net.AddressInfo).port,
        failure: () => failure,
        close: () =>
            new Promise<void>((resolve) => {
                for (const socket of sockets) socket.destroy();
                server.close(() => resolve());
            }),
    };
}
