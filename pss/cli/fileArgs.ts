/**
 * The files an argument names, found as `kubectl apply -f` finds them (k8s.io/cli-runtime v0.37.2,
 * ExpandPathsToFileVisitors over Go's filepath.Walk): a file is read whatever its name; a directory gives its
 * files whose names end in .json, .yaml or .yml (case as written), in byte order of their names, and with -R its
 * subfolders' too, depth first, each where its name sorts. Links are not followed into folders, as Walk does not.
 */

import * as fs from "fs";
import * as path from "path";
import { describeFsError } from "../../lib/cli/errors";
import { InputError } from "./input";

export const FILE_EXTENSIONS = [".json", ".yaml", ".yml"];

export interface InputArgument {
    /** As the user wrote it. */
    arg: string;
    directory: boolean;
    /** What to read, as the report names it: the argument, or the argument joined with the names under it. */
    files: string[];
}

/** Go's filepath.Ext: from the last dot of the name, so `.yaml` alone is an extension too (Node's extname says no). */
function goExt(name: string): string {
    const dot = name.lastIndexOf(".");
    return dot < 0 ? "" : name.slice(dot);
}

/** Go's sort.Strings: byte order of the UTF-8 names. */
function byteOrder(a: string, b: string): number {
    return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

function cannotRead(shown: string, error: unknown): InputError {
    return new InputError(`${shown}: cannot read: ${describeFsError(error)}`);
}

function walk(dir: string, shown: string, recursive: boolean, files: string[]): void {
    let names: string[];
    try {
        names = fs.readdirSync(dir).sort(byteOrder);
    } catch (error) {
        throw cannotRead(shown, error);
    }
    for (const name of names) {
        const entry = path.join(shown, name);
        let stat: fs.Stats;
        try {
            stat = fs.lstatSync(path.join(dir, name));
        } catch (error) {
            throw cannotRead(entry, error);
        }
        if (stat.isDirectory()) {
            if (recursive) walk(path.join(dir, name), entry, recursive, files);
        } else if (FILE_EXTENSIONS.includes(goExt(name))) {
            files.push(entry);
        }
    }
}

/** `arg` relative to `cwd` (the user's folder); `-` is stdin. */
export function expandArgument(arg: string, cwd: string, recursive: boolean): InputArgument {
    if (arg === "-") return { arg, directory: false, files: [arg] };
    // path.resolve drops a trailing slash, which is what makes `link/` the folder a link points to.
    const where = path.resolve(cwd, arg) + (arg.endsWith(path.sep) && arg !== path.sep ? path.sep : "");
    let stat: fs.Stats;
    try {
        stat = fs.lstatSync(where);
        if (stat.isSymbolicLink() && fs.statSync(where).isDirectory()) {
            // kubectl reads a link given as the argument as a file, and fails on it; `link/` is the folder.
            throw new InputError(`${arg}: cannot read: a link to a directory, which kubectl -f reads as a file; write ${arg}/ for the directory`);
        }
    } catch (error) {
        if (error instanceof InputError) throw error;
        throw cannotRead(arg, error);
    }
    if (!stat.isDirectory()) return { arg, directory: false, files: [arg] };
    const files: string[] = [];
    walk(where, arg, recursive, files);
    return { arg, directory: true, files };
}
