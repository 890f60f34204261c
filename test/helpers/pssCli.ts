/** The checker's command run in-process, as the tests of its output formats need it. */

import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { bytesOf } from "../../pss/cli/input";
import { runCli } from "../../pss/cli/main";

export function runPss(args: string[], options: { stdin?: string; cwd?: string } = {}) {
    let stdout = "";
    let stderr = "";
    const code = runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), stdin: () => bytesOf(options.stdin ?? ""), cwd: options.cwd });
    return { code, stdout, stderr };
}

/** A file of its own in a fresh temporary folder; its folder and name. */
export function tempManifest(name: string, content: string | Buffer): { dir: string; file: string } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pss-format-"));
    fs.writeFileSync(path.join(dir, name), content);
    return { dir, file: path.join(dir, name) };
}
