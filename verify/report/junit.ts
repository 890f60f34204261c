/** `--junit FILE`: the checklist as JUnit XML, a test case per check (failed with its details, skipped when not run). */

import { junitXml } from "../../lib/junit";
import { VerifyReport } from "./checklist";

export function reportJunit(report: VerifyReport): string {
    const where = `RayCluster ${report.rayClusterName} in namespace ${report.namespace}`;
    return junitXml({
        name: `kuberay-verify: ${report.stack ? `stack ${report.stack}, ` : ""}${where}`,
        cases: report.checks.map((check) => ({
            classname: "kuberay-verify",
            name: check.title,
            ...(check.status === "failed" ? { failure: { message: check.summary, text: [check.summary, ...check.details].join("\n") } } : {}),
            ...(check.status === "skipped" ? { skipped: check.summary } : {}),
        })),
    });
}
