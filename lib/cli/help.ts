/** A command's usage and help, written the same way for every command; and its one-line errors. */

import { errorLine, UsageError } from "./errors";

export interface CommandHelp {
    /** The command lines it accepts, without `usage: `. */
    usage: string[];
    /** What it does, in a sentence or two. */
    about: string;
    /** [option, meaning]. */
    options: [string, string][];
    /** [exit status, when]. */
    exits: [number, string][];
    /** Further lines at the end (other ways to run it). */
    notes?: string[];
}

/** `usage: …`, further forms aligned under the first. */
export function usageText(help: CommandHelp): string {
    return help.usage.map((line, i) => `${i === 0 ? "usage: " : "       "}${line}`).join("\n");
}

const WIDTH = 100;

/** Words filled into lines of at most WIDTH characters; a `quoted command` is one word, never split. */
function wrap(text: string): string[] {
    const lines: string[] = [];
    let line = "";
    for (const word of text.match(/[^\s`]*`[^`]*`\S*|\S+/g) ?? []) {
        if (line && line.length + 1 + word.length > WIDTH) {
            lines.push(line);
            line = word;
        } else line = line ? `${line} ${word}` : word;
    }
    return line ? [...lines, line] : lines;
}

function table(rows: [string, string][]): string[] {
    const width = Math.max(...rows.map(([left]) => left.length));
    return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`);
}

/** What `--help` prints: usage, what it does, the options and the exit statuses. */
export function helpText(help: CommandHelp): string {
    const lines = [usageText(help), "", ...wrap(help.about), "", "options:", ...table(help.options), "", "exit status:"];
    lines.push(...table(help.exits.map(([code, when]) => [String(code), when])));
    for (const note of help.notes ?? []) lines.push("", ...wrap(note));
    return `${lines.join("\n")}\n`;
}

/** What `command` prints on stderr for bad input: one line, then the usage when the arguments were wrong. */
export function inputErrorText(command: string, error: unknown, help: CommandHelp): string {
    const showUsage = error instanceof UsageError && error.showUsage;
    return `${command}: ${errorLine(error)}\n${showUsage ? `${usageText(help)}\n` : ""}`;
}
