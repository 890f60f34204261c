/** What the commands say when something is wrong: one line a user can act on, never a stack trace. */

import { firstNonBlankLine } from "../text";

/** A problem with the user's input (arguments, files, stack): one line on stderr, exit 2, no stack trace. */
export class UsageError extends Error {
    constructor(
        message: string,
        /** Whether the usage line helps (the arguments themselves were wrong). */
        readonly showUsage = false,
    ) {
        super(message);
    }
}

function firstLine(text: string): string {
    return firstNonBlankLine(text) ?? text;
}

/** client-node's ApiException: an HTTP code, and the API server's Status as JSON text in `body`. */
function apiErrorLine(error: { code: number; body?: unknown; message?: string }): string {
    let status: unknown = error.body;
    if (typeof status === "string") {
        try {
            status = JSON.parse(status);
        } catch {
            return `HTTP ${error.code}: ${firstLine(status as string)}`;
        }
    }
    const message = (status as { message?: unknown } | undefined)?.message;
    const fallback = /\nMessage: (.*)/.exec(error.message ?? "")?.[1];
    return `HTTP ${error.code}: ${typeof message === "string" ? message : fallback ?? "(no message)"}`;
}

/** The line of an error the user needs, not a trace. */
export function errorLine(error: unknown): string {
    if (typeof (error as { code?: unknown })?.code === "number") return apiErrorLine(error as { code: number });
    // client-node rejects a failed web socket upgrade with a plain event object carrying `message`.
    const message = (error as { message?: unknown })?.message;
    return firstLine(typeof message === "string" ? message : String(error));
}

const FS_ERRORS: Record<string, string> = {
    ENOENT: "no such file",
    EISDIR: "it is a directory",
    ENOTDIR: "a part of the path is not a directory",
    EACCES: "permission denied",
};

/** Why a file cannot be read, in words rather than Node's `ENOENT: no such file or directory, open '…'`. */
export function describeFsError(error: unknown): string {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    return (code && FS_ERRORS[code]) ?? errorLine(error);
}
