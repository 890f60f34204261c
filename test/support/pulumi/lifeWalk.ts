/** For a test file that walks one stack through its life, step after step. */

import { beforeEach } from "vitest";

/**
 * Skips every later step once one has failed (they would only repeat the failure); call at the top level of
 * the file. The returned object says whether a step failed, e.g. to keep the files of a failed run.
 */
export function skipAfterFirstFailure(): { readonly failed: boolean } {
    const walk = { failed: false };
    beforeEach(({ skip, onTestFailed }) => {
        if (walk.failed) skip();
        onTestFailed(() => {
            walk.failed = true;
        });
    });
    return walk;
}
