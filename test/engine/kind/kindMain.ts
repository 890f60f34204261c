/** Entry point of the stand-in `kind` (bin/kind): parses, runs, and reports failures as kind does. */

import { parseKindArgs, StandinUsageError } from "./args";
import { KindError, runKind } from "./kindCommands";
import { stateRoot } from "./state";

async function main(): Promise<number> {
    try {
        const command = parseKindArgs(process.argv.slice(2), process.env);
        await runKind(stateRoot(), command, { stdout: (text) => process.stdout.write(text), stderr: (text) => process.stderr.write(text) });
        return 0;
    } catch (error) {
        const expected = error instanceof KindError || error instanceof StandinUsageError;
        process.stderr.write(`ERROR: ${expected ? (error as Error).message : (error as Error).stack ?? String(error)}\n`);
        return 1;
    }
}

void main().then((code) => (process.exitCode = code));
