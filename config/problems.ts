/** Collects configuration problems so that every one of them is reported at once, in one message. */

export class ConfigError extends Error {
    constructor(readonly problems: string[]) {
        super(problems.join("\n"));
        this.name = "ConfigError";
    }
}

export class Problems {
    private readonly list: string[] = [];

    /** `Configuration "<key>": <value> is not allowed; it must be <allowed>.` */
    invalid(key: string, value: unknown, allowed: string): void {
        this.list.push(`Configuration "${key}": ${show(value)} is not allowed; it must be ${allowed}.`);
    }

    add(message: string): void {
        this.list.push(message);
    }

    get count(): number {
        return this.list.length;
    }

    throwIfAny(): void {
        if (this.list.length > 0) {
            throw new ConfigError([...this.list]);
        }
    }
}

/** Renders a configuration value as the user wrote it: strings quoted, everything else as JSON. */
export function show(value: unknown): string {
    return JSON.stringify(value) ?? String(value);
}
