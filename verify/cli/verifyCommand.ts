/**
 * `verify`: stack outputs → the five checks → checklist (or JSON), and a JUnit report with --junit. Exit 0: all passed; 1: a check failed; 2: bad
 * input (arguments, stack outputs, an --audit-log that cannot be read or is not an audit log).
 */

import { wantsHelp } from "../../lib/cli/args";
import { helpText, inputErrorText } from "../../lib/cli/help";
import { CliIo } from "../../lib/cli/io";
import { writeWhole } from "../../lib/cli/outputFile";
import { reportExitCode, reportJson, renderChecklist } from "../report/checklist";
import { reportJunit } from "../report/junit";
import { runVerify, VerifyDeps } from "../run/runVerify";
import { StackOutputsSource } from "../stack/pulumiStackOutputs";
import { targetFromOutputs, VerifyTarget } from "../stack/stackOutputs";
import { VERIFY_HELP } from "./help";
import { parseVerifyArgs } from "./verifyArgs";

export interface VerifyCommandDeps {
    stackOutputs: StackOutputsSource;
    /** `auditLogFiles` as the user wrote them, relative to `cwd`. */
    connect(target: VerifyTarget, auditLogFiles: readonly string[], progress: (line: string) => void, cwd: string): Promise<VerifyDeps>;
}

export async function runVerifyCommand(argv: string[], io: CliIo, deps: VerifyCommandDeps): Promise<number> {
    if (wantsHelp(argv)) {
        io.stdout(helpText(VERIFY_HELP));
        return 0;
    }
    const cwd = io.cwd ?? process.cwd();
    try {
        const args = parseVerifyArgs(argv, cwd);
        const target = targetFromOutputs(await deps.stackOutputs(args.stack), args.stack);
        // Progress on stderr keeps stdout to the checklist, or to the JSON alone.
        const progress = (line: string) => io.stderr(`${line}\n`);
        const verifyDeps = await deps.connect(target, args.auditLogs, progress, cwd);
        const report = await runVerify(target, { timeoutSeconds: args.timeoutSeconds }, verifyDeps);
        io.stdout(args.json ? `${JSON.stringify(reportJson(report), null, 2)}\n` : `\n${renderChecklist(report)}`);
        if (args.junit) writeWhole("--junit", args.junit, reportJunit(report));
        return reportExitCode(report);
    } catch (error) {
        io.stderr(inputErrorText("verify", error, VERIFY_HELP));
        return 2;
    }
}
