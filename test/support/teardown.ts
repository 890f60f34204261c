/**
 * A suite's teardown that fails the run when it fails. Vitest prints an error thrown by a globalSetup teardown
 * ("error during close") but still exits 0, so a check that nothing was left behind would pass unseen; the
 * exit code carries it.
 */
export async function failingRunOnError(teardown: () => Promise<void>): Promise<void> {
    try {
        await teardown();
    } catch (error) {
        process.exitCode = 1;
        throw error;
    }
}
