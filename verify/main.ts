/**
 * `kuberay-verify [--stack NAME] [--json] [--timeout SECONDS] [--audit-log FILE]…`: checks a deployed stack the
 * way the tutorial does by hand. `kuberay-verify audit --namespace NS [--json] --file FILE… [FILE]…`: the Pod
 * Security violations in saved audit logs (plain or gzip, a rotated set read as one log).
 */

import { errorLine } from "../lib/cli/errors";
import { CliIo, processIo } from "../lib/cli/io";
import { npmTookOptionsText, userDir } from "../lib/cli/npmScript";
import { runAuditCommand } from "./cli/auditCommand";
import { NPM_UNKNOWN_OPTIONS, VERIFY_COMMAND } from "./cli/help";
import { runVerifyCommand, VerifyCommandDeps } from "./cli/verifyCommand";
import { connect } from "./run/connect";
import { pulumiStackOutputs } from "./stack/pulumiStackOutputs";

export const defaultDeps: VerifyCommandDeps = { stackOutputs: pulumiStackOutputs, connect };

export function runCli(argv: string[], io: CliIo, deps: VerifyCommandDeps = defaultDeps): Promise<number> {
    return argv[0] === "audit" ? runAuditCommand(argv.slice(1), io) : runVerifyCommand(argv, io, deps);
}

/** The command itself, on the process's arguments and streams (the bundle's entry: lib/cli/launch.cjs). */
export function main(): void {
    const io = processIo(userDir(VERIFY_COMMAND));
    const npmTook = npmTookOptionsText("verify", VERIFY_COMMAND, NPM_UNKNOWN_OPTIONS);
    if (npmTook) io.stderr(npmTook);
    (npmTook ? Promise.resolve(2) : runCli(process.argv.slice(2), io))
        .catch((error: unknown) => {
            io.stderr(`verify: ${errorLine(error)}\n`);
            return 2;
        })
        .then((code) => {
            process.exitCode = code;
            // Keep-alive sockets to the API server may hold the process open; nothing is left to do.
            setTimeout(() => process.exit(code), 2000).unref();
        });
}

if (require.main === module) main();
