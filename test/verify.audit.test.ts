import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PassThrough, Readable } from "stream";
import * as v8 from "v8";
import * as vm from "vm";
import { describe, expect, it } from "vitest";
import { parseAuditEvent, podSecurityViolation } from "../verify/audit/auditEvent";
import { kindNodeAuditLog } from "../verify/audit/auditLogSource";
import { scanAuditLines } from "../verify/audit/auditScan";
import { AuditLogUnreadable, readAuditLog, readAuditLogFile } from "../verify/audit/readAuditLog";
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

    it("reads an empty file as no events", async () => {
        expect(await readAuditLogFile(auditLogFile(""), NAMESPACE)).toEqual({ events: 0, skipped: 0, podRequests: 0, violations: [] });
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

/** gc() even when node was not started with --expose-gc. */
function collectGarbage(): () => void {
    v8.setFlagsFromString("--expose-gc");
    return vm.runInNewContext("gc") as () => void;
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

        const gc = collectGarbage();
        gc();
        const baseline = process.memoryUsage().heapUsed;
        let peakRetained = 0;
        let chunks = 0;
        // Sample what is still reachable while the reader is mid-file.
        const sampler = new PassThrough();
        sampler.on("data", () => {
            if (++chunks % 200 === 0) {
                gc();
                peakRetained = Math.max(peakRetained, process.memoryUsage().heapUsed - baseline);
            }
        });
        const summary = await readAuditLog(fs.createReadStream(file).pipe(sampler), NAMESPACE);

        expect(summary.events).toBe(expected.events);
        expect(summary.skipped).toBe(expected.skipped);
        expect(summary.violations.filter((v) => v.decision === "refused")).toHaveLength(expected.refused);
        expect(summary.violations.filter((v) => v.decision === "audit")).toHaveLength(expected.audit);
        expect(chunks).toBeGreaterThan(1_000);
        expect(peakRetained).toBeLessThan(50 * 1024 * 1024);
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
            const summary = await readAuditLog(source.stream, NAMESPACE);
            await source.finished;
            expect([summary.events, summary.violations.length]).toEqual([2, 1]);
        } finally {
            restore();
        }
    });

    it("fails with docker's own message when the node is gone", async () => {
        const restore = withFakeDocker('echo "Error response from daemon: No such container: kuberay-dev-control-plane" >&2\nexit 1');
        try {
            const source = kindNodeAuditLog("kuberay-dev", "/var/log/kubernetes/kube-apiserver-audit.log");
            await readAuditLog(source.stream, NAMESPACE);
            await expect(source.finished).rejects.toThrow(
                "`docker exec kuberay-dev-control-plane cat /var/log/kubernetes/kube-apiserver-audit.log` failed: Error response from daemon: No such container: kuberay-dev-control-plane",
            );
        } finally {
            restore();
        }
    });
});
