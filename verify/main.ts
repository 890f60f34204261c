/**
 * `npm run verify -- [--stack NAME] [--json] [--timeout SECONDS] [--audit-log FILE]…`: checks a deployed stack
 * the way the tutorial does by hand. `npm run -s verify -- audit --namespace NS [--json] --file FILE… [FILE]…`:
 * the Pod Security violations in saved audit logs (plain or gzip, a rotated set read as one log).
 */

import { runAuditCommand } from "./audit/auditCommand";
import { CliIo, errorLine } from "./cli/io";
import { runVerifyCommand, VerifyCommandDeps } from "./cli/verifyCommand";
import { connect } from "./connect";
import { pulumiStackOutputs } from "./stack/pulumiStackOutputs";

export const defaultDeps: VerifyCommandDeps = { stackOutputs: pulumiStackOutputs, connect };

export function runCli(argv: string[], io: CliIo, deps: VerifyCommandDeps = defaultDeps): Promise<number> {
    return argv[0] === "audit" ? runAuditCommand(argv.slice(1), io) : runVerifyCommand(argv, io, deps);
}

if (require.main === module) {
    runCli(process.argv.slice(2), { stdout: (text) => process.stdout.write(text), stderr: (text) => process.stderr.write(text) })
        .catch((error: unknown) => {
            process.stderr.write(`verify: ${errorLine(error)}\n`);
            return 2;
        })
        .then((code) => {
            process.exitCode = code;
            // Keep-alive sockets to the API server may hold the process open; nothing is left to do.
            setTimeout(() => process.exit(code), 2000).unref();
        });
}
