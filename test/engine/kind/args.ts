/**
 * Command lines of the stand-in `kind` and `docker`: exactly the subset components/kind/commands.ts and
 * verify use, parsed the way kind's cobra/pflag parses them (`--flag value` or `--flag=value`). Anything else
 * is refused with a message that says what the stand-in implements.
 */

export class StandinUsageError extends Error {}

export type KindCommand =
    | { command: "get clusters" }
    | { command: "get kubeconfig"; name: string }
    | { command: "create cluster"; name: string; image?: string; config?: string; waitMs?: number }
    | { command: "delete cluster"; name: string };

/** kind's own rule (`^[a-z0-9.-]+$`), and never `.` or `..`: the name is a folder of the stand-in's state. */
export function isStandinClusterName(name: string): boolean {
    return /^[a-z0-9.-]+$/.test(name) && name !== "." && name !== "..";
}

const SUPPORTED = "the kind stand-in implements `kind get clusters`, `kind get kubeconfig --name N`, `kind create cluster --name N --image I --config F --wait D` and `kind delete cluster --name N`";

const FLAGS: Record<string, readonly string[]> = {
    "get clusters": [],
    "get kubeconfig": ["name"],
    "create cluster": ["name", "image", "config", "wait"],
    "delete cluster": ["name"],
};

const KNOWN_FLAGS = new Set(Object.values(FLAGS).flat());

/**
 * Parses `kind` arguments. `env.KIND_CLUSTER_NAME` is kind's default for `--name` (then "kind"), as in kind.
 */
export function parseKindArgs(args: string[], env: { KIND_CLUSTER_NAME?: string } = {}): KindCommand {
    const words: string[] = [];
    const flags: Record<string, string> = {};
    for (let i = 0; i < args.length; i++) {
        const arg = args[i];
        if (!arg.startsWith("-")) {
            words.push(arg);
            continue;
        }
        const match = /^--([a-z][a-z-]*)(?:=(.*))?$/s.exec(arg);
        if (!match) throw new StandinUsageError(`unknown shorthand flag or malformed flag: ${JSON.stringify(arg)} (${SUPPORTED})`);
        const [, flag, inline] = match;
        if (!KNOWN_FLAGS.has(flag)) throw new StandinUsageError(`unknown flag: --${flag} (${SUPPORTED})`);
        const value = inline ?? args[++i];
        if (value === undefined) throw new StandinUsageError(`flag needs an argument: --${flag}`);
        if (flag in flags) throw new StandinUsageError(`flag --${flag} given twice`);
        flags[flag] = value;
    }
    const command = words.slice(0, 2).join(" ");
    if (!(command in FLAGS) || words.length > 2) {
        throw new StandinUsageError(`unknown command ${JSON.stringify(words.join(" ") || "(none)")} for the kind stand-in: ${SUPPORTED}`);
    }
    const unknown = Object.keys(flags).filter((flag) => !FLAGS[command].includes(flag));
    if (unknown.length > 0) throw new StandinUsageError(`unknown flag: --${unknown[0]} for "kind ${command}" (${SUPPORTED})`);

    if (command === "get clusters") return { command };
    const name = flags.name ?? (env.KIND_CLUSTER_NAME || "kind");
    if (!isStandinClusterName(name)) {
        throw new StandinUsageError(`'${name}' is not a valid cluster name, cluster names must match \`^[a-z0-9.-]+$\``);
    }
    if (command === "create cluster") {
        return {
            command,
            name,
            ...(flags.image !== undefined ? { image: flags.image } : {}),
            ...(flags.config !== undefined ? { config: flags.config } : {}),
            ...(flags.wait !== undefined ? { waitMs: parseGoDuration(flags.wait) } : {}),
        };
    }
    return { command, name } as KindCommand;
}

/** A Go `time.Duration` string as kind's `--wait` takes it (`5m`, `30s`, `1m30s`, `0`), in milliseconds. */
export function parseGoDuration(text: string): number {
    if (text === "0") return 0;
    const units: Record<string, number> = { ns: 1e-6, us: 1e-3, "µs": 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
    const part = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
    let total = 0;
    let consumed = 0;
    for (let match = part.exec(text); match; match = part.exec(text)) {
        total += Number(match[1]) * units[match[2]];
        consumed = part.lastIndex;
    }
    if (text === "" || consumed !== text.length) throw new StandinUsageError(`invalid argument ${JSON.stringify(text)} for "--wait" flag: time: invalid duration ${JSON.stringify(text)}`);
    return total;
}

export interface DockerExecCat {
    container: string;
    path: string;
}

/** `docker exec <container> cat <path>`, the one docker command verify runs; nothing else. */
export function parseDockerArgs(args: string[]): DockerExecCat {
    if (args.length === 4 && args[0] === "exec" && !args[1].startsWith("-") && args[2] === "cat" && !args[3].startsWith("-")) {
        return { container: args[1], path: args[3] };
    }
    throw new StandinUsageError(`the docker stand-in implements only \`docker exec <cluster>-control-plane cat <path>\`, not \`docker ${args.join(" ")}\``);
}
