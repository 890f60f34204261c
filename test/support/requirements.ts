/**
 * The xgboost the program's example script installs, read from the script itself so that the example
 * environment holds it (env.sh and the node suite's wheelhouse ask test/support/pins.ts, which asks this).
 */

import { xgboostExampleScript } from "../../components/raycluster/rayClusterSpec";

export function scriptXgboostRequirement(script = xgboostExampleScript()): string {
    const match = /^XGBOOST_REQUIREMENT\s*=\s*["']([^"']+)["']\s*$/m.exec(script);
    if (!match) throw new Error("xgboost_example.py defines no XGBOOST_REQUIREMENT");
    return match[1];
}
