/**
 * A file a command writes its report to (`--junit FILE`): checked before the command's work starts, so a
 * path that cannot be written fails at once; written whole or not at all (a temporary file beside it, then
 * renamed), so a reader never sees half a report.
 */

import * as fs from "fs";
import * as path from "path";
import { describeFsError, UsageError } from "./errors";

/** The absolute path to write, or a UsageError naming the option, the path and why it cannot be written. */
export function writableFile(option: string, file: string, cwd: string): string {
    const target = path.resolve(cwd, file);
    const problem = (why: string) => new UsageError(`${option} ${JSON.stringify(file)}: ${why}`);
    const stat = fs.statSync(target, { throwIfNoEntry: false });
    if (stat?.isDirectory()) throw problem("it is a directory");
    const dir = path.dirname(target);
    try {
        if (!fs.statSync(dir).isDirectory()) throw problem(`${dir} is not a directory`);
        fs.accessSync(dir, fs.constants.W_OK);
        if (stat) fs.accessSync(target, fs.constants.W_OK);
    } catch (error) {
        if (error instanceof UsageError) throw error;
        throw problem(`cannot be written (${describeFsError(error)})`);
    }
    return target;
}

/** Writes `text` to `target` whole, or throws a UsageError and leaves nothing behind. */
export function writeWhole(option: string, target: string, text: string): void {
    const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp`);
    try {
        fs.writeFileSync(temporary, text);
        fs.renameSync(temporary, target);
    } catch (error) {
        fs.rmSync(temporary, { force: true });
        throw new UsageError(`${option} ${JSON.stringify(target)}: cannot be written (${describeFsError(error)})`);
    }
}
