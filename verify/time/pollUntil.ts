/**
 * Read, and read again every `pollMs`, until the value is final or `timeoutMs` has passed. Time comes from
 * the injected clock, so a test's fake clock drives the whole wait.
 */

import { Clock } from "./clock";

export interface PollOptions {
    clock: Clock;
    timeoutMs: number;
    pollMs: number;
}

export interface Poll<T> extends PollOptions {
    read(): Promise<T>;
    isFinal(value: T): boolean;
    /** Called with each value that is not final while time is left, before the next sleep. */
    onPending?(value: T): void;
    /** When the wait began, if before this call (the job's time counts from before its submission). */
    startedAt?: number;
}

export interface Polled<T> {
    /** The last value read: final unless the time ran out. */
    value: T;
    timedOut: boolean;
    elapsedMs: number;
}

export async function pollUntil<T>({ clock, timeoutMs, pollMs, read, isFinal, onPending, startedAt = clock.now() }: Poll<T>): Promise<Polled<T>> {
    for (;;) {
        const value = await read();
        const elapsedMs = clock.now() - startedAt;
        if (isFinal(value)) return { value, timedOut: false, elapsedMs };
        if (elapsedMs >= timeoutMs) return { value, timedOut: true, elapsedMs };
        onPending?.(value);
        // The last sleep ends at the deadline, not a poll interval past it.
        await clock.sleep(Math.min(pollMs, timeoutMs - elapsedMs));
    }
}
