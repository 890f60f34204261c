/**
 * Plain JSON requests to the API server with the admin client certificate. client-node's typed models drop
 * fields they do not know (CRD schema extensions such as x-kubernetes-int-or-string, Pod fields newer than
 * its models): where the exact object matters, it is sent as it is.
 */

import * as fs from "fs";
import * as https from "https";

export interface RawResponse {
    status: number;
    body: any;
}

export class RawApi {
    private readonly agent: https.Agent;

    constructor(
        private readonly server: string,
        tls: { ca: string; cert: string; key: string },
    ) {
        this.agent = new https.Agent({ ...tls, keepAlive: true, maxSockets: 32 });
    }

    /** From an admin kubeconfig written by the harness (JSON, embedded certificate data). */
    static fromKubeconfig(path: string): RawApi {
        const config = JSON.parse(fs.readFileSync(path, "utf8"));
        const pem = (b64: string) => Buffer.from(b64, "base64").toString();
        return new RawApi(config.clusters[0].cluster.server, {
            ca: pem(config.clusters[0].cluster["certificate-authority-data"]),
            cert: pem(config.users[0].user["client-certificate-data"]),
            key: pem(config.users[0].user["client-key-data"]),
        });
    }

    request(method: string, path: string, body?: unknown): Promise<RawResponse> {
        const payload = body === undefined ? undefined : JSON.stringify(body);
        return new Promise((resolve, reject) => {
            const request = https.request(
                `${this.server}${path}`,
                { method, agent: this.agent, headers: payload ? { "content-type": "application/json", "content-length": Buffer.byteLength(payload) } : {} },
                (response) => {
                    let text = "";
                    response.setEncoding("utf8");
                    response.on("data", (chunk: string) => (text += chunk));
                    response.on("end", () => resolve({ status: response.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }));
                },
            );
            request.on("error", reject);
            request.end(payload);
        });
    }

    close(): void {
        this.agent.destroy();
    }
}
