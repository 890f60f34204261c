import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { PROJECT_DIR } from "../support/paths";

export const PROJECT = "kuberay-pod-security";

type Tree = Record<string, unknown>;

function setPath(tree: Tree, parts: string[], value: unknown): void {
    let node = tree;
    for (const part of parts.slice(0, -1)) {
        node = (node[part] ??= {}) as Tree;
    }
    node[parts[parts.length - 1]] = value;
}

/**
 * The configuration map the Pulumi CLI hands the program for a stack file: Pulumi.yaml defaults applied at
 * their paths (scalars as strings, the way the CLI stores them), stack values over them, objects and lists
 * JSON-encoded.
 */
export function cliConfig(stack: string, overrides: Tree = {}): Record<string, string> {
    const project = parse(fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), "utf8"));
    const stackFile = parse(fs.readFileSync(path.join(PROJECT_DIR, `Pulumi.${stack}.yaml`), "utf8"));
    const tree: Tree = {};
    for (const [key, declaration] of Object.entries(project.config as Record<string, { default: unknown }>)) {
        // As the CLI does: a scalar default as its string, a list (`type: array`) as the list itself.
        const value = declaration.default;
        setPath(tree, key.split("."), typeof value === "object" && value !== null ? value : String(value));
    }
    const stackValues = deepMerge(stackFile.config as Tree, overrides);
    for (const [fullKey, value] of Object.entries(stackValues)) {
        const key = fullKey.slice(PROJECT.length + 1);
        const current = tree[key];
        tree[key] =
            typeof current === "object" && current !== null && typeof value === "object" && value !== null
                ? deepMerge(current as Tree, value as Tree)
                : value;
    }
    return Object.fromEntries(
        Object.entries(tree).map(([key, value]) => [`${PROJECT}:${key}`, typeof value === "string" ? value : JSON.stringify(value)]),
    );
}

function deepMerge(base: Tree, over: Tree): Tree {
    const result: Tree = { ...base };
    for (const [key, value] of Object.entries(over)) {
        const current = result[key];
        result[key] =
            typeof current === "object" && current !== null && !Array.isArray(current) && typeof value === "object" && value !== null && !Array.isArray(value)
                ? deepMerge(current as Tree, value as Tree)
                : value;
    }
    return result;
}
