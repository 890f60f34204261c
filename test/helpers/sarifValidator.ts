/**
 * SARIF logs checked twice: by Microsoft's SARIF multitool (`validate`, from the npm registry's
 * @microsoft/sarif-multitool-linux), which reports schema errors and the spec's rules, and by the SARIF
 * 2.1.0 JSON schema the same package ships, with ajv.
 */

import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";

const MULTITOOL: string = require("@microsoft/sarif-multitool-linux");
const SCHEMA = JSON.parse(fs.readFileSync(path.join(path.dirname(MULTITOOL), "sarif-2.1.0.json"), "utf8"));

/** What the multitool finds in a log: one `LEVEL RULE: message` line each (empty: nothing, not even a warning). */
export function multitoolFindings(log: string): string[] {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sarif-validate-"));
    try {
        const input = path.join(dir, "log.sarif");
        const output = path.join(dir, "validation.sarif");
        fs.writeFileSync(input, log);
        // Without ICU on the machine, .NET needs invariant globalization.
        execFileSync(MULTITOOL, ["validate", input, "--output", output, "--log", "ForceOverwrite"], {
            env: { ...process.env, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: "1", DOTNET_CLI_TELEMETRY_OPTOUT: "1" },
            stdio: ["ignore", "pipe", "pipe"],
        });
        const validation = JSON.parse(fs.readFileSync(output, "utf8"));
        return (validation.runs[0].results ?? []).map((r: any) => `${r.level ?? "warning"} ${r.ruleId}: ${r.message?.text ?? JSON.stringify(r.message?.arguments)}`);
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

const validate = addFormatsTo(new Ajv2020({ strict: false, allErrors: true })).compile(SCHEMA);

function addFormatsTo(ajv: Ajv2020): Ajv2020 {
    addFormats(ajv);
    return ajv;
}

/** The schema's complaints about a log (empty: valid). */
export function schemaErrors(log: unknown): string[] {
    return validate(log) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}
