import * as path from "path";

/**
 * An XDG base directory: `$XDG_…_HOME` when it is absolute (the spec ignores a relative one), else its
 * default under the home folder (e.g. `.cache`, `.local/state`).
 */
export function xdgBaseDir(env: { home: string; xdgHome?: string }, defaultUnderHome: string): string {
    return env.xdgHome && path.isAbsolute(env.xdgHome) ? env.xdgHome : path.join(env.home, defaultUnderHome);
}
