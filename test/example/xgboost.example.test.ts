/**
 * The ConfigMap's own xgboost_example.py, on the Ray the program deploys, submitted and judged by verify's
 * example-job check through verify's Jobs client: it must end SUCCEEDED and print its final metrics.
 */

import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { buildExampleConfigMap } from "../../components/raycluster/rayClusterSpec";
import { exampleJobResult, runExampleJob } from "../../verify/checks/exampleJob";
import { systemClock } from "../../verify/time/clock";
import { RayJobsClient } from "../../verify/ray/rayJobsClient";
import { mebibytes, sampleRayMemory } from "../support/ray/rayProcesses";
import { submitting } from "./helpers/submission";
import { makeWorkDir, WorkDir, writeBreastCancerCsv } from "./helpers/workDir";
import { DEFAULT_RAY_VERSION, EXAMPLE_SCRIPT_KEY } from "../../model/ray";

const MEMORY_BUDGET_BYTES = 4 * 2 ** 30;

// The Ray head test/example/globalSetup.ts started for this suite.
const head = inject("rayHead");

describe("the example job, for real", () => {
    let work: WorkDir;
    beforeAll(() => {
        work = makeWorkDir();
    });
    afterAll(() => work?.remove());

    it("runs on the Ray version the program deploys", () => {
        expect(head.rayVersion).toBe(DEFAULT_RAY_VERSION);
    });

    it("trains on the breast-cancer CSV, ends SUCCEEDED and prints the final metrics, within 4 GiB", async () => {
        const script = work.write(EXAMPLE_SCRIPT_KEY, buildExampleConfigMap("ray-example").data[EXAMPLE_SCRIPT_KEY]);
        const csv = `${work.dir}/breast_cancer.csv`;
        expect(writeBreastCancerCsv(head.venv, csv)).toBe(569);

        const client = new RayJobsClient(head.dashboardUrl);
        const api = submitting(client, { entrypoint: `python ${script}`, runtime_env: { env_vars: { XGBOOST_EXAMPLE_DATA: csv } } });
        const memory = sampleRayMemory(head.tempDir);
        const run = await runExampleJob(api, {
            clock: systemClock,
            timeoutMs: 480_000,
            pollMs: 1_000,
            onStatus: (status) => console.log(`example job ${status}`),
        });
        const peak = memory.stop();
        const result = exampleJobResult(run);
        const logs = await client.logs(run.submissionId);

        console.log(
            `example job: submission to ${run.last.status} in ${(run.elapsedMs / 1000).toFixed(1)} s; ` +
                `Ray's peak memory ${mebibytes(peak.peakRssBytes)} RSS / ${mebibytes(peak.peakPssBytes)} PSS ` +
                `over ${peak.peakProcesses} processes (${peak.samples} samples)`,
        );
        console.log(`at the PSS peak: ${peak.peakBreakdown.map((p) => `${p.name}${p.count > 1 ? ` ×${p.count}` : ""} ${mebibytes(p.pssBytes)}`).join(", ")}`);
        expect(result.status, [result.summary, ...result.details].join("\n")).toBe("passed");
        // verify's own request, with only the entrypoint and runtime_env a local head needs.
        expect(api.submitted).toEqual([
            { entrypoint: `python ${script}`, runtime_env: { env_vars: { XGBOOST_EXAMPLE_DATA: csv } }, metadata: { submitted_by: "kuberay-pod-security verify" } },
        ]);
        expect(run.statuses).toContain("RUNNING");
        expect(run.statuses.at(-1)).toBe("SUCCEEDED");

        const line = /^final metrics: (.*)$/m.exec(logs);
        expect(line, "the job logs have no `final metrics:` line").not.toBeNull();
        const metrics = JSON.parse(line![1]) as Record<string, unknown>;
        for (const key of ["train-logloss", "train-error", "valid-logloss", "valid-error"]) {
            expect(typeof metrics[key], `${key} in ${line![1]}`).toBe("number");
        }
        // It learned something: the tutorial's model gets a few percent wrong on held-out rows, not half.
        expect(metrics["valid-error"] as number).toBeLessThan(0.15);

        // Ray's own processes, summed at each sample. PSS is what they really take and must fit the budget;
        // RSS counts every shared page (libraries, the object store) once per process: printed, not judged.
        expect(peak.samples).toBeGreaterThan(1);
        expect(peak.peakPssBytes).toBeGreaterThan(0);
        expect(peak.peakPssBytes).toBeLessThan(MEMORY_BUDGET_BYTES);
    });
});
