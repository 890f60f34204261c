/**
 * `verify`: stack outputs → the five checks → checklist (or JSON). Exit 0: all passed; 1: a check failed; 2: bad
 * input (arguments, stack outputs, an --audit-log that cannot be read or is not an audit log).
 */

import { reportExitCode, reportJson, renderChecklist } from "../report/checklist";
import { runVerify, VerifyDeps } from "../runVerify";
import { StackOutputsSource } from "../stack/pulumiStackOutputs";
import { targetFromOutputs, VerifyTarget } from "../stack/stackOutputs";
import { CliIo } from "./io";
import { inputErrorText, VERIFY_USAGE } from "./usage";
import { parseVerifyArgs } from "./verifyArgs";

export interface VerifyCommandDeps {
    stackOutputs: StackOutputsSource;
    connect(target: VerifyTarget, auditLogFiles: readonly string[], progress: (line: string) => void): Promise<VerifyDeps>;
}

export async function runVerifyCommand(argv: string[], io: CliIo, deps: VerifyCommandDeps): Promise<number> {
    try {
        const args = parseVerifyArgs(argv);
        if (args.help) {
            io.stdout(`${VERIFY_USAGE}\n`);
            return 0;
        }
        const target = targetFromOutputs(await deps.stackOutputs(args.stack), args.stack);
        // Progress on stderr keeps stdout to the checklist, or to the JSON alone.
        const progress = (line: string) => io.stderr(`${line}\n`);
        const verifyDeps = await deps.connect(target, args.auditLogs, progress);
        const report = await runVerify(target, { timeoutSeconds: args.timeoutSeconds }, verifyDeps);
        io.stdout(args.json ? `${JSON.stringify(reportJson(report), null, 2)}\n` : `\n${renderChecklist(report)}`);
        return reportExitCode(report);
    } catch (error) {
        io.stderr(inputErrorText("verify", error, VERIFY_USAGE));
        return 2;
    }
}
