/** How verify and `verify audit` are named, run and explained (`--help`, and the usage after a bad argument). */

import { CommandHelp } from "../../lib/cli/help";
import { NpmScript } from "../../lib/cli/npmScript";
import { PROJECT_NAME } from "../../model/project";

export const VERIFY_COMMAND: NpmScript = { packageName: PROJECT_NAME, script: "verify", bin: "kuberay-verify" };

const VERIFY_LINE = "kuberay-verify [--stack NAME] [--json] [--junit FILE] [--timeout SECONDS] [--audit-log FILE]…";
const AUDIT_LINE = "kuberay-verify audit --namespace NS [--json] --file FILE [--file FILE]… [FILE]…";
const HOW_ELSE =
    "Relative paths are read from the folder you are in. In this project, `npx kuberay-verify …` or " +
    "`npm run -s verify -- …` run it too (-s: no npm banner on stdout; --: the options are verify's).";

export const VERIFY_HELP: CommandHelp = {
    // Both forms: a wrong verify command line may have meant either.
    usage: [VERIFY_LINE, AUDIT_LINE],
    about:
        "Checks a deployed stack as the tutorial does by hand, in its order: the RayCluster is ready, its Pods run, " +
        "the audit log holds no Pod Security refusal or audit-violations, the xgboost example job succeeds, and " +
        "`pip install` works under restricted. `audit` reads saved audit logs on their own (audit --help).",
    options: [
        ["--stack NAME", "the Pulumi stack whose outputs name the cluster (default: the selected stack)"],
        ["--json", "one JSON object on stdout instead of the checklist (progress stays on stderr)"],
        ["--junit FILE", "also write the checklist as JUnit XML (a test case per check; skipped when not run) to FILE"],
        ["--timeout SECONDS", "bound on each wait: readiness, the example job, pip (default 600)"],
        ["--audit-log FILE", "a copy of the API server's audit log, plain or gzip; repeated for a rotated set (default: a kind node's own log)"],
        ["-h, --help", "print this help"],
    ],
    exits: [
        [0, "no check failed"],
        [1, "a check failed"],
        [2, "bad input: arguments, no stack outputs, an --audit-log that cannot be read or is not an audit log, a --junit file that cannot be written"],
    ],
    notes: [HOW_ELSE],
};

export const AUDIT_HELP: CommandHelp = {
    usage: [AUDIT_LINE],
    about:
        "The Pod Security violations in saved audit logs: one file, or a rotated set read as one log, plain or gzip " +
        "whatever their names. Violations come in time order; a request two files both hold counts once.",
    options: [
        ["--namespace NS", "the namespace whose Pod requests are judged (required)"],
        ["--file FILE", "an audit log; repeated for a rotated set, or the files listed after the options (a shell glob)"],
        ["--json", "the summary and every violation as one JSON object on stdout"],
        ["-h, --help", "print this help"],
    ],
    exits: [
        [0, "the log has Pod requests for the namespace, and none was a Pod Security violation"],
        [1, "violations; or nothing to check: no audit event, or no Pod request for the namespace"],
        [2, "bad arguments; a file that cannot be read, corrupt gzip, a file that is not an audit log"],
    ],
    notes: [HOW_ELSE],
};

/** verify's long options that npm does not know, and so keeps for itself when written before `--`. */
export const NPM_UNKNOWN_OPTIONS = ["stack", "timeout", "audit-log", "namespace", "file", "junit"];
