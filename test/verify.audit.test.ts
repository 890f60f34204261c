import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PassThrough, Readable } from "stream";
import * as v8 from "v8";
import * as vm from "vm";
import * as zlib from "zlib";
import { describe, expect, it } from "vitest";
import { parseAuditEvent, podSecurityViolation } from "../verify/audit/auditEvent";
import { kindNodeAuditLog } from "../verify/audit/auditLogSource";
import { scanAuditLines } from "../verify/audit/auditScan";
import { AuditLogUnreadable, readAuditLog, readAuditLogFile, readAuditLogFiles, readAuditLogs } from "../verify/audit/readAuditLog";
import {
    admittedPodCreate,
    configMapForbidden,
    HEAD_REFUSAL,
    NAMESPACE,
    podGet,
    refusedPodCreate,
    requestReceived,
    toLines,
    WORKER_AUDIT_VIOLATION,
} from "./helpers/verifyAuditEvents";
import { auditLogFile } from "./helpers/verifyFakes";

const lines = (events: object[]) => toLines(events).split("\n");

describe("audit event → Pod Security violation", () => {
    it("reports a refused create of a generateName'd Pod with the name from responseStatus.details", () => {
        const event = parseAuditEvent(JSON.stringify(refusedPodCreate("raycluster-complete-head-x7k2p", { time: "2025-06-02T09:12:41.102311Z" })));
        expect(event).toBeDefined();
        expect(event!.objectRef?.name).toBeUndefined();
        expect(podSecurityViolation(event!, NAMESPACE)).toEqual({
            time: "2025-06-02T09:12:41.102311Z",
            pod: "raycluster-complete-head-x7k2p",
            namespace: NAMESPACE,
            verb: "create",
            decision: "refused",
            policy: "restricted:latest",
            message: HEAD_REFUSAL,
        });
    });

    it("falls back to the name in the Forbidden message when the Status has no details", () => {
        const event = refusedPodCreate("raycluster-complete-head-q4m8d");
        delete (event.responseStatus as { details?: unknown }).details;
        expect(podSecurityViolation(parseAuditEvent(JSON.stringify(event))!, NAMESPACE)?.pod).toBe("raycluster-complete-head-q4m8d");
    });

    it("reports an admitted Pod with audit-violations as decision audit, with the policy of the annotation", () => {
        const text = WORKER_AUDIT_VIOLATION.replace("restricted:latest", "restricted:v1.30");
        const event = parseAuditEvent(JSON.stringify(admittedPodCreate({ auditViolations: text, enforcePolicy: "baseline:latest" })))!;
        expect(podSecurityViolation(event, NAMESPACE)).toMatchObject({ decision: "audit", pod: "", policy: "restricted:v1.30", message: text });
    });

    it("ignores admitted Pods without audit-violations, other namespaces, other resources and RequestReceived events", () => {
        // Each of these would be a violation but for the one thing that makes it irrelevant.
        for (const event of [
            admittedPodCreate(),
            refusedPodCreate("p", { namespace: "default" }),
            configMapForbidden(),
            refusedPodCreate("p", { stage: "RequestReceived" }),
            refusedPodCreate("p", { stage: "ResponseStarted" }),
            { ...podGet("p"), responseStatus: refusedPodCreate("p").responseStatus },
        ]) {
            expect(podSecurityViolation(parseAuditEvent(JSON.stringify(event))!, NAMESPACE)).toBeUndefined();
        }
    });

    it("does not take non-audit JSON or broken lines for events", () => {
        expect(parseAuditEvent('{"kind":"Event","apiVersion":"audit.k8s.io/v1"')).toBeUndefined();
        expect(parseAuditEvent('{"kind":"Pod","apiVersion":"v1"}')).toBeUndefined();
        expect(parseAuditEvent('{"kind":"Event","apiVersion":"events.k8s.io/v1"}')).toBeUndefined();
        expect(parseAuditEvent("null")).toBeUndefined();
        expect(parseAuditEvent("I0602 09:12:41.102311 1 log.go:245] not json")).toBeUndefined();
    });
});

describe("audit log scan", () => {
    const mixed = [
        requestReceived(),
        refusedPodCreate("raycluster-complete-head-x7k2p"),
        requestReceived(),
        refusedPodCreate("raycluster-complete-head-q4m8d"),
        admittedPodCreate(),
        admittedPodCreate({ auditViolations: WORKER_AUDIT_VIOLATION }),
        refusedPodCreate("elsewhere-head-abcde", { namespace: "default" }),
        configMapForbidden(),
        podGet("raycluster-pod-security-head-8w2kq"),
    ];

    it("counts events, skips non-events, and lists the violations in log order", () => {
        const summary = scanAuditLines([...lines(mixed), "not json at all", ""], NAMESPACE);
        expect(summary.events).toBe(9);
        expect(summary.skipped).toBe(1);
        expect(summary.podRequests).toBe(5);
        expect(summary.violations.map((v) => [v.decision, v.pod])).toEqual([
            ["refused", "raycluster-complete-head-x7k2p"],
            ["refused", "raycluster-complete-head-q4m8d"],
            ["audit", ""],
        ]);
    });

    it("counts a truncated last line as skipped, never fatal", async () => {
        const full = toLines(mixed);
        const truncated = full + JSON.stringify(refusedPodCreate("raycluster-complete-head-zzzzz")).slice(0, 180);
        const summary = await readAuditLogFile(auditLogFile(truncated), NAMESPACE);
        expect([summary.events, summary.skipped, summary.violations.length]).toEqual([9, 1, 3]);
    });

    it("reads an empty file as no events (the verdict, not the reader, says there is nothing to check)", async () => {
        const file = auditLogFile("");
        expect(await readAuditLogFile(file, NAMESPACE)).toEqual({
            namespace: NAMESPACE,
            files: [{ file, compressed: false, lines: 0, events: 0, skipped: 0 }],
            events: 0,
            skipped: 0,
            podRequests: 0,
            podRequestsByNamespace: {},
            violations: [],
        });
    });

    it("handles CRLF line ends", async () => {
        const summary = await readAuditLog(Readable.from([toLines(mixed).replace(/\n/g, "\r\n")]), NAMESPACE);
        expect([summary.events, summary.skipped, summary.violations.length]).toEqual([9, 0, 3]);
    });

    it("reports a missing file or a directory as unreadable, naming it", async () => {
        await expect(readAuditLogFile("/nonexistent/audit.log", NAMESPACE)).rejects.toThrow(new AuditLogUnreadable('cannot read "/nonexistent/audit.log": no such file'));
        await expect(readAuditLogFile(os.tmpdir(), NAMESPACE)).rejects.toThrow(/it is a directory/);
    });
});

/** Bytes that look random but are the same on every run (a seeded xorshift). */
function noise(length: number, seed = 0x9e3779b9): Buffer {
    const bytes = Buffer.alloc(length);
    let x = seed >>> 0;
    for (let i = 0; i < length; i++) {
        x ^= x << 13;
        x >>>= 0;
        x ^= x >>> 17;
        x ^= x << 5;
        x >>>= 0;
        bytes[i] = x & 0xff;
    }
    return bytes;
}

/** The API server's rotated set, oldest first: a gzip backup, logrotate's .1, and the live file. */
function rotatedSet(): { dir: string; oldest: string; middle: string; newest: string } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "verify-audit-rotated-"));
    const oldest = path.join(dir, "audit-2025-06-02T09-12-45.000.log.gz");
    const middle = path.join(dir, "audit.log.1");
    const newest = path.join(dir, "audit.log");
    fs.writeFileSync(oldest, zlib.gzipSync(toLines([refusedPodCreate("raycluster-complete-head-x7k2p", { time: "2025-06-02T09:12:41.102311Z" }), podGet("a", { time: "2025-06-02T09:12:42.000000Z" })])));
    fs.writeFileSync(middle, toLines([refusedPodCreate("raycluster-complete-head-q4m8d", { time: "2025-06-02T09:12:50.388514Z" }), podGet("b", { namespace: "team-a" })]));
    fs.writeFileSync(
        newest,
        toLines([admittedPodCreate({ time: "2025-06-02T09:13:05.000001Z", auditViolations: WORKER_AUDIT_VIOLATION })]) + JSON.stringify(refusedPodCreate("cut")).slice(0, 100),
    );
    return { dir, oldest, middle, newest };
}

describe("fail closed: what the reader refuses, and what it still reads", () => {
    const log = toLines([refusedPodCreate("raycluster-complete-head-x7k2p"), admittedPodCreate(), podGet("raycluster-complete-head-x7k2p", { namespace: "default" })]);

    it.each(["kube-apiserver-audit.log", "audit.log.1", "audit-2025-06-02T09-12-41.102.log.gz", "audit.json"])("reads gzip by its magic bytes, whatever the name: %s", async (name) => {
        const summary = await readAuditLogFile(auditLogFile(zlib.gzipSync(log), name), NAMESPACE);
        expect(summary.files.map((f) => f.compressed)).toEqual([true]);
        expect([summary.events, summary.skipped, summary.podRequests, summary.violations.length]).toEqual([3, 0, 2, 1]);
    });

    it("reads a file named .gz that is plain text as text", async () => {
        const summary = await readAuditLogFile(auditLogFile(log, "audit.log.gz"), NAMESPACE);
        expect([summary.files[0].compressed, summary.events]).toEqual([false, 3]);
    });

    it("reads gzip from a stream as well (a pipe, the kind node), and concatenated gzip members", async () => {
        const twoMembers = Buffer.concat([zlib.gzipSync(log), zlib.gzipSync(toLines([refusedPodCreate("raycluster-complete-head-q4m8d"), admittedPodCreate()]))]);
        const summary = await readAuditLog(Readable.from([twoMembers.subarray(0, 1), twoMembers.subarray(1, 7), twoMembers.subarray(7)]), NAMESPACE);
        expect([summary.events, summary.violations.length]).toEqual([5, 2]);
    });

    it("tolerates a gzip file cut short, as it tolerates a truncated last line", async () => {
        const big = toLines(Array.from({ length: 400 }, (_, i) => refusedPodCreate(`p-${i}`)));
        const gz = zlib.gzipSync(big);
        const summary = await readAuditLogFile(auditLogFile(gz.subarray(0, Math.floor(gz.length / 2)), "audit.log.gz"), NAMESPACE);
        expect(summary.events).toBeGreaterThan(10);
        expect(summary.events).toBeLessThan(400);
        expect(summary.skipped).toBeLessThanOrEqual(1);
    });

    it("refuses corrupt gzip: exit 2's error, naming the file", async () => {
        const file = auditLogFile(Buffer.concat([Buffer.from([0x1f, 0x8b]), noise(4096)]), "audit.log.gz");
        await expect(readAuditLogFile(file, NAMESPACE)).rejects.toThrow(new AuditLogUnreadable(`cannot read ${JSON.stringify(file)}: not valid gzip data (unknown compression method)`));
    });

    it("refuses random bytes: not an audit log", async () => {
        const file = auditLogFile(noise(64 * 1024), "audit.log");
        const error = await readAuditLogFile(file, NAMESPACE).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(AuditLogUnreadable);
        expect((error as Error).message).toMatch(
            new RegExp(`^${JSON.stringify(file).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} is not an audit log: none of its \\d+ line\\(s\\) is an audit event \\(one JSON audit\\.k8s\\.io Event per line, as kube-apiserver writes with --audit-log-format=json, plain or gzip\\)$`),
        );
    });

    it.each([
        ["JSON that is not audit events (a Pod per line)", toLines([{ apiVersion: "v1", kind: "Pod", metadata: { name: "p" } }, { apiVersion: "v1", kind: "Pod", metadata: { name: "q" } }])],
        ["pretty-printed events (jq .): one event over many lines", `${JSON.stringify(refusedPodCreate("p"), null, 2)}\n`],
        ["the legacy text format", '2025-06-02T09:12:41.102311Z AUDIT: id="5f0c…" stage="ResponseComplete" ip="172.18.0.2" method="create" user="system:serviceaccount:pod-security:kuberay-operator" namespace="pod-security" uri="/api/v1/namespaces/pod-security/pods" response="403"\n'],
        ["only a truncated event", JSON.stringify(refusedPodCreate("p")).slice(0, 200)],
    ])("refuses %s: not an audit log", async (_what, content) => {
        await expect(readAuditLogFile(auditLogFile(content), NAMESPACE)).rejects.toThrow(/ is not an audit log: none of its \d+ line\(s\) is an audit event/);
    });

    it("still tolerates a truncated last line, and garbage lines, when the file has events", async () => {
        const summary = await readAuditLogFile(auditLogFile(`${log}\u0000\u0001garbage\n${JSON.stringify(refusedPodCreate("p")).slice(0, 200)}`), NAMESPACE);
        expect([summary.events, summary.skipped, summary.violations.length]).toEqual([3, 2, 1]);
    });

    it("counts a line too long to be an event as skipped, without keeping it", async () => {
        const summary = await readAuditLog(Readable.from([log, "x".repeat(5000), "y".repeat(5000), "\n", log]), NAMESPACE, "audit.log", { maxLineBytes: 4096 });
        expect([summary.events, summary.skipped]).toEqual([6, 1]);
    });

    it("reads a rotated set as one log: every file counted, violations in time order, whatever order the files come in", async () => {
        const { dir, oldest, middle, newest } = rotatedSet();
        for (const order of [[newest, middle, oldest], [oldest, middle, newest], [middle, newest, oldest]]) {
            const summary = await readAuditLogFiles(order, NAMESPACE);
            expect(summary.files.map((f) => [path.basename(f.file), f.compressed, f.events, f.skipped])).toEqual(
                order.map((file) => [path.basename(file), file === oldest, file === newest ? 1 : 2, file === newest ? 1 : 0]),
            );
            expect([summary.events, summary.skipped, summary.podRequests]).toEqual([5, 1, 4]);
            expect(summary.podRequestsByNamespace).toEqual({ "pod-security": 4, "team-a": 1 });
            expect(summary.violations.map((v) => [v.time, v.pod])).toEqual([
                ["2025-06-02T09:12:41.102311Z", "raycluster-complete-head-x7k2p"],
                ["2025-06-02T09:12:50.388514Z", "raycluster-complete-head-q4m8d"],
                ["2025-06-02T09:13:05.000001Z", ""],
            ]);
        }
        fs.rmSync(dir, { recursive: true });
    });

    it("reports a request once when two files hold the same event (a copy made before rotation)", async () => {
        const event = refusedPodCreate("raycluster-complete-head-x7k2p");
        const summary = await readAuditLogFiles([auditLogFile(toLines([event])), auditLogFile(toLines([event, admittedPodCreate()]))], NAMESPACE);
        expect([summary.events, summary.violations.length]).toEqual([3, 1]);
    });

    it("names the file of a set that is not an audit log", async () => {
        const notes = auditLogFile("kube-apiserver restarted at 09:12\n", "notes.txt");
        await expect(readAuditLogFiles([auditLogFile(log), notes], NAMESPACE)).rejects.toThrow(`${JSON.stringify(notes)} is not an audit log: none of its 1 line(s) is an audit event`);
    });
});

/** gc() even when node was not started with --expose-gc. */
function collectGarbage(): () => void {
    v8.setFlagsFromString("--expose-gc");
    return vm.runInNewContext("gc") as () => void;
}

/**
 * A pass-through to put between a log and its reader: every `every` chunks it collects garbage and records how
 * much heap is still reachable above what was reachable when it was made.
 */
function heapSampler(every: number): { stream: PassThrough; chunks: () => number; peakRetained: () => number } {
    const gc = collectGarbage();
    gc();
    const baseline = process.memoryUsage().heapUsed;
    let peak = 0;
    let chunks = 0;
    const stream = new PassThrough();
    stream.on("data", () => {
        if (++chunks % every === 0) {
            gc();
            peak = Math.max(peak, process.memoryUsage().heapUsed - baseline);
        }
    });
    return { stream, chunks: () => chunks, peakRetained: () => peak };
}

describe("a log of 100,000 lines", () => {
    it("streams it: every count right, and the retained heap stays flat", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "verify-audit-big-"));
        const file = path.join(dir, "audit.log");
        const out = fs.openSync(file, "w");
        const expected = { events: 0, skipped: 0, refused: 0, audit: 0 };
        let batch: string[] = [];
        for (let i = 0; i < 100_000; i++) {
            let line: string;
            if (i % 10_000 === 5) {
                line = JSON.stringify(refusedPodCreate(`raycluster-complete-head-${i}`));
                expected.refused++;
            } else if (i % 25_000 === 7) {
                line = JSON.stringify(admittedPodCreate({ auditViolations: WORKER_AUDIT_VIOLATION }));
                expected.audit++;
            } else if (i % 1_000 === 3) {
                line = "{not json";
                expected.skipped++;
                expected.events--;
            } else if (i % 3 === 0) {
                line = JSON.stringify(requestReceived());
            } else if (i % 3 === 1) {
                line = JSON.stringify(refusedPodCreate(`other-${i}`, { namespace: "team-a" }));
            } else {
                line = JSON.stringify(podGet(`raycluster-pod-security-worker-${i}`));
            }
            expected.events++;
            batch.push(line);
            if (batch.length === 5_000) {
                fs.writeSync(out, batch.join("\n") + "\n");
                batch = [];
            }
        }
        fs.closeSync(out);
        expect(fs.statSync(file).size).toBeGreaterThan(80 * 1024 * 1024);

        // Sample what is still reachable while the reader is mid-file.
        const sampler = heapSampler(200);
        const summary = await readAuditLog(fs.createReadStream(file).pipe(sampler.stream), NAMESPACE);

        expect(summary.events).toBe(expected.events);
        expect(summary.skipped).toBe(expected.skipped);
        expect(summary.violations.filter((v) => v.decision === "refused")).toHaveLength(expected.refused);
        expect(summary.violations.filter((v) => v.decision === "audit")).toHaveLength(expected.audit);
        expect(sampler.chunks()).toBeGreaterThan(1_000);
        expect(sampler.peakRetained()).toBeLessThan(50 * 1024 * 1024);
        fs.rmSync(dir, { recursive: true });
    });

    it("streams a gzip log as well: it is inflated as it is read, never whole", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "verify-audit-big-gz-"));
        const file = path.join(dir, "audit-2025-06-02T09-12-41.102.log.gz");
        const gzip = zlib.createGzip({ level: 1 });
        const written = new Promise<void>((resolve, reject) => gzip.pipe(fs.createWriteStream(file)).on("finish", () => resolve()).on("error", reject));
        const lines = 100_000;
        for (let i = 0; i < lines; i += 5_000) {
            const batch = Array.from({ length: 5_000 }, (_, j) => JSON.stringify(i + j === 77_777 ? refusedPodCreate(`raycluster-complete-head-${i + j}`) : podGet(`raycluster-pod-security-worker-${i + j}`)));
            if (!gzip.write(batch.join("\n") + "\n")) await new Promise((resolve) => gzip.once("drain", resolve));
        }
        gzip.end();
        await written;
        const compressed = fs.readFileSync(file);
        expect(compressed.length).toBeLessThan(20 * 1024 * 1024);

        async function* slices(): AsyncGenerator<Buffer> {
            for (let offset = 0; offset < compressed.length; offset += 16 * 1024) yield compressed.subarray(offset, offset + 16 * 1024);
        }
        const sampler = heapSampler(20);
        const summary = await readAuditLog(Readable.from(slices()).pipe(sampler.stream), NAMESPACE);

        expect(summary.files[0].compressed).toBe(true);
        expect([summary.events, summary.skipped, summary.podRequests, summary.violations.length]).toEqual([lines, 0, lines, 1]);
        expect(sampler.chunks()).toBeGreaterThan(20);
        // The inflated log is ~80 MB; what stays reachable mid-read is a few chunks.
        expect(sampler.peakRetained()).toBeLessThan(50 * 1024 * 1024);
        fs.rmSync(dir, { recursive: true });
    });
});

describe("the kind node's audit log, through docker exec", () => {
    /** A `docker` on PATH that serves `exec <node> cat <path>` from a file, or fails as docker does. */
    function withFakeDocker(script: string): () => void {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "verify-docker-"));
        fs.writeFileSync(path.join(dir, "docker"), `#!/bin/sh\n${script}\n`, { mode: 0o755 });
        const saved = process.env.PATH;
        process.env.PATH = `${dir}:${saved}`;
        return () => {
            process.env.PATH = saved;
        };
    }

    it("reads the log from <cluster>-control-plane", async () => {
        const log = auditLogFile(toLines([refusedPodCreate("raycluster-complete-head-x7k2p"), admittedPodCreate()]));
        const restore = withFakeDocker(`[ "$1 $2 $3 $4" = "exec kuberay-dev-control-plane cat /var/log/kubernetes/kube-apiserver-audit.log" ] || exit 9\ncat "${log}"`);
        try {
            const source = kindNodeAuditLog("kuberay-dev", "/var/log/kubernetes/kube-apiserver-audit.log");
            expect(source.label).toBe("kuberay-dev-control-plane:/var/log/kubernetes/kube-apiserver-audit.log");
            const summary = await readAuditLogs([source], NAMESPACE);
            expect([summary.events, summary.violations.length]).toEqual([2, 1]);
        } finally {
            restore();
        }
    });

    it("fails with docker's own message when the node is gone", async () => {
        const restore = withFakeDocker('echo "Error response from daemon: No such container: kuberay-dev-control-plane" >&2\nexit 1');
        try {
            const source = kindNodeAuditLog("kuberay-dev", "/var/log/kubernetes/kube-apiserver-audit.log");
            await expect(readAuditLogs([source], NAMESPACE)).rejects.toThrow(
                "`docker exec kuberay-dev-control-plane cat /var/log/kubernetes/kube-apiserver-audit.log` failed: Error response from daemon: No such container: kuberay-dev-control-plane",
            );
        } finally {
            restore();
        }
    });
});
