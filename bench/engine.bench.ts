/**
 * What every `pulumi` call costs with this program: the real CLI and providers (the project's engine build) on
 * the harness control plane (kwok node, the KubeRay operator while the chart is installed), the shipped
 * existing-cluster stack with the chart from a loopback Helm repository. Each round: preview with nothing
 * deployed, `up` to a ready RayCluster, no-op preview, no-op `up`, refresh, destroy; each call traced
 * (`--otel-traces`) and the spans that take the time summed by name. Prints medians and the breakdown; asserts
 * nothing. Run as root is not needed:
 *
 *   npm run e2e:tools && npx tsx bench/engine.bench.ts      (BENCH_RUNS=n rounds, default 3; BENCH_TRACES=DIR keeps the traces)
 */

import * as fs from "fs";
import * as path from "path";
import { startControlPlane } from "../test/support/harness/controlPlane";
import { KUBERAY_CHART_DIR } from "../test/support/harness/kuberayOperator";
import { startHelmRepository } from "../test/support/pulumi/helmRepository";
import { PulumiCli } from "../test/support/pulumi/pulumiCli";
import { sharedPath } from "../test/support/shared";
import { median } from "./measure";

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const STACK = "bench-existing";
const CALLS = [
    ["preview (nothing deployed)", ["preview"]],
    ["up to a ready RayCluster", ["up", "--yes"]],
    ["preview (no change)", ["preview", "--expect-no-changes"]],
    ["up (no change)", ["up", "--yes"]],
    ["refresh (no change)", ["refresh", "--yes"]],
    ["destroy", ["destroy", "--yes"]],
] as const;
/** Span names worth a column: where the engine, the SDK and the providers spend a call's time. */
const SPAN_GROUPS: Array<[string, RegExp]> = [
    ["state load", /DeserializeDeployment|getSnapshot/i],
    ["chart Construct", /Construct/],
    ["invokes", /Invoke/],
    ["Check/Diff", /\/(Check|Diff)$/],
    ["Create/Update/Delete", /\/(Create|Update|Delete)$/],
];

interface Span {
    name: string;
    ms: number;
}

/** The spans of an OpenTelemetry JSON trace file (one ExportTraceServiceRequest per line, or one object). */
function spans(file: string): Span[] {
    if (!fs.existsSync(file)) return [];
    const found: Span[] = [];
    const visit = (node: unknown): void => {
        if (Array.isArray(node)) return node.forEach(visit);
        if (!node || typeof node !== "object") return;
        const span = node as { name?: unknown; startTimeUnixNano?: unknown; endTimeUnixNano?: unknown };
        if (typeof span.name === "string" && span.startTimeUnixNano !== undefined && span.endTimeUnixNano !== undefined) {
            found.push({ name: span.name, ms: (Number(BigInt(String(span.endTimeUnixNano)) - BigInt(String(span.startTimeUnixNano))) / 1e6) });
        }
        Object.values(node).forEach(visit);
    };
    for (const line of fs.readFileSync(file, "utf8").split("\n").filter((l) => l.trim() !== "")) {
        try {
            visit(JSON.parse(line));
        } catch {
            // not JSON: not a span
        }
    }
    return found;
}

function breakdown(file: string): Record<string, number> {
    const all = spans(file);
    return Object.fromEntries(SPAN_GROUPS.map(([label, pattern]) => [label, all.filter((span) => pattern.test(span.name)).reduce((sum, span) => sum + span.ms, 0) / 1000]));
}

async function main(): Promise<void> {
    const plane = await startControlPlane({ auditNamespace: "ray-restricted", operatorNamespaces: ["ray-restricted"], operator: "await-chart" });
    let repo: Awaited<ReturnType<typeof startHelmRepository>> | undefined;
    let cli: PulumiCli | undefined;
    const results = new Map<string, Array<{ seconds: number; spans: Record<string, number> }>>();
    let stateKb = 0;
    try {
        repo = await startHelmRepository(sharedPath(KUBERAY_CHART_DIR));
        cli = new PulumiCli();
        await cli.initStack(STACK, "Pulumi.existing.yaml");
        await cli.setConfig(STACK, { "cluster.kubeconfig": plane.kubeconfigPath, "cluster.context": "e2e", "operator.chartRepository": repo.url, "ray.workerGroups[0].replicas": "1" });
        for (let round = 0; round < RUNS; round++) {
            for (const [label, args] of CALLS) {
                const trace = path.join(cli.home, `trace-${round}-${label.replace(/\W+/g, "-")}.json`);
                const result = await cli.ok(STACK, [...args, `--otel-traces=file://${trace}`]);
                results.set(label, [...(results.get(label) ?? []), { seconds: result.ms / 1000, spans: breakdown(trace) }]);
                if (process.env.BENCH_TRACES) fs.cpSync(trace, path.join(process.env.BENCH_TRACES, path.basename(trace)));
                if (label === "refresh (no change)") stateKb = (await cli.ok(STACK, ["stack", "export"])).stdout.length / 1024;
            }
        }
    } finally {
        cli?.dispose();
        await repo?.close();
        await plane.stop();
    }
    const header = ["call", `wall (median of ${RUNS})`, ...SPAN_GROUPS.map(([label]) => label)];
    const rows = [...results].map(([label, runs]) => [
        label,
        `${median(runs.map((r) => r.seconds)).toFixed(1)} s`,
        ...SPAN_GROUPS.map(([group]) => `${median(runs.map((r) => r.spans[group] ?? 0)).toFixed(1)} s`),
    ]);
    console.log(`| ${header.join(" | ")} |\n|${header.map(() => " --- ").join("|")}|\n${rows.map((row) => `| ${row.join(" | ")} |`).join("\n")}`);
    console.log(`state of the deployed stack: ${stateKb.toFixed(0)} KB (span sums overlap where calls run in parallel)`);
}

main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
});
