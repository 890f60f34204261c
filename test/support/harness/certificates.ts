/**
 * The control plane's PKI, made fresh at every start: a CA, the API server's serving certificate
 * (127.0.0.1, localhost), an admin client certificate (group system:masters) and the service-account
 * signing key. Keys come from Node's crypto (fast); node-forge signs the certificates.
 */

import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import forge from "node-forge";

export interface Pki {
    caCert: string;
    servingCert: string;
    servingKey: string;
    adminCert: string;
    adminKey: string;
    serviceAccountKey: string;
    serviceAccountPublicKey: string;
}

function keyPair(): { privatePem: string; publicPem: string } {
    const { privateKey, publicKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
    return {
        privatePem: privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
        publicPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
    };
}

let serial = 1;

function certificate(options: {
    subject: forge.pki.CertificateField[];
    publicPem: string;
    issuer?: { cert: forge.pki.Certificate; keyPem: string };
    selfKeyPem?: string;
    extensions: object[];
}): forge.pki.Certificate {
    const cert = forge.pki.createCertificate();
    cert.publicKey = forge.pki.publicKeyFromPem(options.publicPem);
    cert.serialNumber = (serial++).toString(16).padStart(2, "0");
    cert.validity.notBefore = new Date(Date.now() - 60_000);
    cert.validity.notAfter = new Date(Date.now() + 24 * 3600_000);
    cert.setSubject(options.subject);
    cert.setIssuer(options.issuer ? options.issuer.cert.subject.attributes : options.subject);
    cert.setExtensions(options.extensions);
    const signingKey = forge.pki.privateKeyFromPem(options.issuer ? options.issuer.keyPem : options.selfKeyPem!);
    cert.sign(signingKey, forge.md.sha256.create());
    return cert;
}

/** The `kubernetes` Service's address in the harness's service range (10.96.0.0/16): in-cluster clients dial it. */
export const KUBERNETES_SERVICE_IP = "10.96.0.1";
const KUBERNETES_SERVICE_NAMES = ["kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local"];

/** A CA, the API server's serving certificate (loopback, the Service's address and names, and `servingIps`),
 *  the admin's client certificate and the service-account key pair. */
export function createPki(servingIps: string[] = []): Pki {
    const ca = keyPair();
    const caCert = certificate({
        subject: [{ name: "commonName", value: "kuberay-pod-security-e2e-ca" }],
        publicPem: ca.publicPem,
        selfKeyPem: ca.privatePem,
        extensions: [
            { name: "basicConstraints", cA: true, critical: true },
            { name: "keyUsage", keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
        ],
    });
    const issuer = { cert: caCert, keyPem: ca.privatePem };
    const serving = keyPair();
    const servingCert = certificate({
        subject: [{ name: "commonName", value: "kube-apiserver" }],
        publicPem: serving.publicPem,
        issuer,
        extensions: [
            { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
            { name: "extKeyUsage", serverAuth: true },
            {
                name: "subjectAltName",
                altNames: [
                    ...["127.0.0.1", KUBERNETES_SERVICE_IP, ...servingIps].map((ip) => ({ type: 7, ip })),
                    ...["localhost", ...KUBERNETES_SERVICE_NAMES].map((value) => ({ type: 2, value })),
                ],
            },
        ],
    });
    const admin = keyPair();
    const adminCert = certificate({
        subject: [
            { name: "commonName", value: "e2e-admin" },
            { name: "organizationName", value: "system:masters" },
        ],
        publicPem: admin.publicPem,
        issuer,
        extensions: [
            { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
            { name: "extKeyUsage", clientAuth: true },
        ],
    });
    const serviceAccount = keyPair();
    return {
        caCert: forge.pki.certificateToPem(caCert),
        servingCert: forge.pki.certificateToPem(servingCert),
        servingKey: serving.privatePem,
        adminCert: forge.pki.certificateToPem(adminCert),
        adminKey: admin.privatePem,
        serviceAccountKey: serviceAccount.privatePem,
        serviceAccountPublicKey: serviceAccount.publicPem,
    };
}

/** Writes the PKI into `dir`; returns the file paths. */
export function writePki(pki: Pki, dir: string): Record<keyof Pki, string> {
    fs.mkdirSync(dir, { recursive: true });
    const files = {} as Record<keyof Pki, string>;
    for (const [name, pem] of Object.entries(pki) as [keyof Pki, string][]) {
        files[name] = path.join(dir, `${name}.pem`);
        fs.writeFileSync(files[name], pem, { mode: 0o600 });
    }
    return files;
}

/** A kubeconfig for `server` authenticating with the admin client certificate. */
export function adminKubeconfig(server: string, pki: Pki): string {
    const b64 = (pem: string) => Buffer.from(pem).toString("base64");
    return JSON.stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: "e2e", cluster: { server, "certificate-authority-data": b64(pki.caCert) } }],
        users: [{ name: "admin", user: { "client-certificate-data": b64(pki.adminCert), "client-key-data": b64(pki.adminKey) } }],
        contexts: [{ name: "e2e", context: { cluster: "e2e", user: "admin" } }],
        "current-context": "e2e",
    });
}
