/** Typed access to the configuration tree: defaults from the schema, type coercion, problems recorded. */

import { CONFIG_KEYS, ConfigKeyName } from "./schema";
import { Problems } from "./problems";
import { ConfigTree, getPath } from "./tree";

/**
 * Values come as JSON types (from `--path` objects and Pulumi.yaml defaults) or as strings (plain
 * `pulumi config set`), so each reader accepts both spellings of its type.
 */
export class ConfigReader {
    constructor(
        private readonly tree: ConfigTree,
        readonly problems: Problems,
    ) {}

    raw(key: string): unknown {
        return getPath(this.tree, key);
    }

    string(key: ConfigKeyName): string {
        return asString(this.valueOrDefault(key), key, this.problems) ?? String(CONFIG_KEYS[key].default);
    }

    integer(key: ConfigKeyName, min: number): number {
        return asInteger(this.valueOrDefault(key), key, min, this.problems) ?? Number(CONFIG_KEYS[key].default);
    }

    boolean(key: ConfigKeyName): boolean {
        return asBoolean(this.valueOrDefault(key), key, this.problems) ?? Boolean(CONFIG_KEYS[key].default);
    }

    /**
     * A list key's entries, unchecked (each is the caller's to validate as `<key>[<index>]`). A value that is
     * not a list is a problem, `example` showing what one looks like; the list is then empty.
     */
    list(key: ConfigKeyName, example: string): unknown[] {
        const value = this.valueOrDefault(key);
        if (!Array.isArray(value)) {
            this.problems.invalid(key, value, `a list, such as ${example}`);
            return [];
        }
        return value;
    }

    private valueOrDefault(key: ConfigKeyName): unknown {
        return this.raw(key) ?? CONFIG_KEYS[key].default;
    }
}

export function asString(value: unknown, key: string, problems: Problems): string | undefined {
    if (typeof value === "string") {
        return value;
    }
    if (typeof value === "number") {
        return String(value);
    }
    problems.invalid(key, value, "a string");
    return undefined;
}

export function asInteger(value: unknown, key: string, min: number, problems: Problems): number | undefined {
    const number =
        typeof value === "number" ? value : typeof value === "string" && /^-?\d+$/.test(value.trim()) ? Number(value) : NaN;
    if (!Number.isSafeInteger(number) || number < min) {
        problems.invalid(key, value, `a whole number >= ${min}`);
        return undefined;
    }
    return number;
}

export function asBoolean(value: unknown, key: string, problems: Problems): boolean | undefined {
    if (typeof value === "boolean") {
        return value;
    }
    if (value === "true" || value === "false") {
        return value === "true";
    }
    problems.invalid(key, value, "true or false");
    return undefined;
}
