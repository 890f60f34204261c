/** How the checker's command is named, run and explained (`--help`). */

import { CommandHelp } from "../../lib/cli/help";
import { NpmScript } from "../../lib/cli/npmScript";
import { PROJECT_NAME } from "../../model/project";

export const PSS_COMMAND: NpmScript = { packageName: PROJECT_NAME, script: "pss", bin: "kuberay-pss" };

/** The checker's long options npm does not know, and so keeps for itself when written before `--`. */
export const NPM_UNKNOWN_OPTIONS = ["level", "allow-empty", "recursive", "format"];

export const PSS_HELP: CommandHelp = {
    usage: ["kuberay-pss [--level privileged|baseline|restricted] [--version latest|v1.N] [--format table|json|sarif|junit] [--allow-empty] [-R] FILE|DIR|-…"],
    about:
        "What Pod Security Admission would say about every Pod the manifests create, the Pods the KubeRay operator " +
        "builds from a RayCluster, RayJob or RayService included. Files are read as `kubectl apply -f` reads them: " +
        "a directory's .json, .yaml and .yml files in name order, - for stdin; relative paths from the current folder.",
    options: [
        ["--level LEVEL", "privileged, baseline or restricted (default restricted)"],
        ["--version VERSION", "latest or v1.N, e.g. v1.30 (default latest)"],
        ["--format FORMAT", "table (default); json: one array, an entry per Pod, skipped objects on stderr; sarif: a SARIF 2.1.0 log for code scanning, each violation at its field's line; junit: JUnit XML, a test case per object"],
        ["--json", "the same as --format json"],
        ["--allow-empty", "let an input with nothing to check (no object that carries a Pod) pass"],
        ["-R, --recursive", "read the subfolders of a directory too, as kubectl -R does"],
        ["-h, --help", "print this help"],
    ],
    exits: [
        [0, "every Pod allowed"],
        [1, "a Pod refused"],
        [2, "bad arguments; a file that cannot be read, that kubectl would refuse, or with nothing to check"],
    ],
    notes: ["In this project, `npx kuberay-pss …` or `npm run -s pss -- …` run it too (-s: no npm banner on stdout; --: the options are the checker's)."],
};
