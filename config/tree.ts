/**
 * Turns Pulumi's flat configuration map (`"<project>:<key>" -> string`) into one nested tree.
 *
 * Object values arrive JSON-encoded (that is how `pulumi config set --path` and declared dotted keys are
 * stored). A literal dotted key, set without `--path`, is placed at its path and wins over the nested value,
 * because it is what the user typed last.
 */

export type ConfigTree = { [key: string]: unknown };

export function configTree(all: Record<string, string>, project: string): ConfigTree {
    const prefix = `${project}:`;
    const tree: ConfigTree = {};
    const entries = Object.entries(all)
        .filter(([key]) => key.startsWith(prefix))
        .map(([key, value]) => [key.slice(prefix.length), decode(value)] as const);
    // Plain keys first, literal dotted keys last, so the latter override.
    entries.sort(([a], [b]) => Number(a.includes(".")) - Number(b.includes(".")));
    for (const [name, value] of entries) {
        setPath(tree, name.split("."), value);
    }
    return tree;
}

function decode(value: string): unknown {
    const trimmed = value.trim();
    if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
        try {
            return JSON.parse(trimmed);
        } catch {
            return value;
        }
    }
    return value;
}

function setPath(tree: ConfigTree, path: string[], value: unknown): void {
    let node = tree;
    for (const part of path.slice(0, -1)) {
        const next = node[part];
        if (!isPlainObject(next)) {
            node[part] = {};
        }
        node = node[part] as ConfigTree;
    }
    const last = path[path.length - 1];
    const existing = node[last];
    node[last] = isPlainObject(existing) && isPlainObject(value) ? { ...existing, ...value } : value;
}

export function isPlainObject(value: unknown): value is ConfigTree {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The value at a dotted path, or undefined. */
export function getPath(tree: ConfigTree, key: string): unknown {
    let node: unknown = tree;
    for (const part of key.split(".")) {
        if (!isPlainObject(node)) {
            return undefined;
        }
        node = node[part];
    }
    return node;
}

/** Every leaf path of the tree (objects are walked, arrays and scalars are leaves). */
export function leafPaths(tree: ConfigTree, prefix = ""): string[] {
    return Object.entries(tree).flatMap(([key, value]) => {
        const path = prefix ? `${prefix}.${key}` : key;
        return isPlainObject(value) && Object.keys(value).length > 0 ? leafPaths(value, path) : [path];
    });
}
