/** Picking the lines worth showing out of command output, error text and logs. Pure. */

/** The lines with something on them, as they are (not trimmed). */
export function nonBlankLines(text: string): string[] {
    return text.split("\n").filter((line) => line.trim() !== "");
}

/** The line that says what happened: the first with something on it; undefined when there is none. */
export function firstNonBlankLine(text: string): string | undefined {
    return nonBlankLines(text)[0];
}

/** The last `count` lines, without the blank lines that end the text. */
export function tailLines(text: string, count: number): string[] {
    const lines = text.split("\n");
    while (lines.length > 0 && lines[lines.length - 1].trim() === "") lines.pop();
    return lines.slice(-count);
}
