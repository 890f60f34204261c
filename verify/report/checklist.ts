/** The final checklist: ✔ passed, ✘ failed, – not run; or the same as JSON. Pure. */

import { CheckResult, CheckStatus } from "../checks/checkResult";

export interface VerifyReport {
    stack?: string;
    namespace: string;
    rayClusterName: string;
    checks: CheckResult[];
}

export const MARKS: Record<CheckStatus, string> = { passed: "✔", failed: "✘", skipped: "–" };

export function reportOk(report: VerifyReport): boolean {
    return report.checks.every((check) => check.status !== "failed");
}

/** 0: nothing failed; 1: a check failed; 2: a check was given input it cannot judge (see CheckResult.badInput). */
export function reportExitCode(report: VerifyReport): number {
    if (report.checks.some((check) => check.badInput)) return 2;
    return reportOk(report) ? 0 : 1;
}

export function renderChecklist(report: VerifyReport): string {
    const where = `RayCluster ${report.rayClusterName} in namespace ${report.namespace}`;
    const lines = [report.stack ? `Stack ${report.stack}: ${where}` : where];
    for (const check of report.checks) {
        lines.push(`${MARKS[check.status]} ${check.title}: ${check.summary}`);
        lines.push(...check.details.map((detail) => `    ${detail}`));
    }
    const count = (status: CheckStatus) => report.checks.filter((check) => check.status === status).length;
    const [passed, failed, skipped] = [count("passed"), count("failed"), count("skipped")];
    lines.push(
        failed === 0 && skipped === 0
            ? `All ${passed} checks passed.`
            : `${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} not run` : ""}.`,
    );
    return `${lines.join("\n")}\n`;
}

export function reportJson(report: VerifyReport): Record<string, unknown> {
    return {
        ok: reportOk(report),
        stack: report.stack ?? null,
        namespace: report.namespace,
        rayClusterName: report.rayClusterName,
        checks: report.checks.map(({ id, title, status, summary, details, data }) => ({ id, title, status, summary, details, data: data ?? {} })),
    };
}
