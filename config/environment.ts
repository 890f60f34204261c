/** What reading the configuration needs from outside it: the stack's name and the file system, passed in so the rules stay testable. */

export interface ConfigEnvironment {
    stack: string;
    /** Turns a user-supplied path (relative, or starting with `~/`) into an absolute one. */
    resolvePath(path: string): string;
    isReadableFile(path: string): boolean;
    // Only operator.chartPath needs these two; absent, no path is a directory and no file can be read.
    isDirectory?(path: string): boolean;
    /** The file's text, or undefined when it cannot be read. */
    readFile?(path: string): string | undefined;
}
