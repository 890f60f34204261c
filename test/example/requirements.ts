/**
 * What the example environment must hold, read from the program itself so that the tests run the Ray the
 * program deploys and the xgboost its script installs: `tsx test/example/requirements.ts` prints them for
 * env.sh, one per line.
 */

import { DEFAULT_RAY_VERSION } from "../../components/config/schema";
import { xgboostExampleScript } from "../../components/raycluster/rayClusterSpec";

export function scriptXgboostRequirement(script = xgboostExampleScript()): string {
    const match = /^XGBOOST_REQUIREMENT\s*=\s*["']([^"']+)["']\s*$/m.exec(script);
    if (!match) throw new Error("xgboost_example.py defines no XGBOOST_REQUIREMENT");
    return match[1];
}

export function exampleRequirements(): { rayVersion: string; xgboostRequirement: string } {
    return { rayVersion: DEFAULT_RAY_VERSION, xgboostRequirement: scriptXgboostRequirement() };
}

if (require.main === module) {
    const { rayVersion, xgboostRequirement } = exampleRequirements();
    console.log(`${rayVersion}\n${xgboostRequirement}`);
}
