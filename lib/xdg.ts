import * as path from "path";

/**
 * The project's folder in an XDG base directory: `$XDG_…_HOME` when it is absolute (the spec ignores a relative
 * one), else its default under the home folder (e.g. `.cache`, `.local/state`).
 */
export function xdgProjectDir(env: { home: string; xdgHome?: string }, defaultUnderHome: string): string {
    const base = env.xdgHome && path.isAbsolute(env.xdgHome) ? env.xdgHome : path.join(env.home, defaultUnderHome);
    return path.join(base, "kuberay-pod-security");
}
