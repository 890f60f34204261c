/** The pins the shell scripts read (test/support/pins.ts): each is the value of the code that defines it. */

import { spawnSync } from "child_process";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { DEFAULT_RAY_VERSION } from "../model/ray";
import { pins } from "./support/pins";
import { NODE_IP, OPERATOR_IMAGE, SANDBOX_IMAGE, WHEELHOUSE_PORT } from "./support/pinned";

describe("pins", () => {
    it("gives each pin the value its module defines, in the order asked", async () => {
        expect(await pins(["WHEELHOUSE_PORT", "RAY_VERSION", "OPERATOR_IMAGE", "SANDBOX_IMAGE", "WHEELHOUSE_HOST"])).toEqual([
            String(WHEELHOUSE_PORT),
            DEFAULT_RAY_VERSION,
            OPERATOR_IMAGE,
            SANDBOX_IMAGE,
            NODE_IP,
        ]);
        // The example script's own line, as the example environment and the wheelhouse install it.
        expect(await pins(["XGBOOST_REQUIREMENT"])).toEqual([expect.stringMatching(/^xgboost(-cpu)?==\d+\.\d+\.\d+$/)]);
    });

    it("prints one value a line for the scripts, and refuses a name it does not know", () => {
        const tsx = path.join(__dirname, "..", "node_modules", ".bin", "tsx");
        const program = path.join(__dirname, "support", "pins.ts");
        const asked = spawnSync(tsx, [program, "RAY_VERSION", "SANDBOX_IMAGE"], { encoding: "utf8" });
        expect(asked.status, asked.stderr).toBe(0);
        expect(asked.stdout).toBe(`${DEFAULT_RAY_VERSION}\n${SANDBOX_IMAGE}\n`);
        const unknown = spawnSync(tsx, [program, "RAY_VERSION", "PAUSE_REF"], { encoding: "utf8" });
        expect(unknown.status).toBe(1);
        expect(unknown.stdout).toBe("");
        expect(unknown.stderr).toMatch(/^pins: no pin named PAUSE_REF; there are RAY_VERSION, /);
    });
});
