/** The tutorial's Step 5.1 RayCluster (ray-cluster.complete.yaml, no securityContext), with Ray updated to the program's version. */

import * as fs from "fs";
import { parse } from "yaml";
import { DEFAULT_RAY_VERSION } from "../../../components/config/schema";
import { sharedPath } from "../../helpers/shared";

export function step51Manifest(): any {
    const manifest = parse(fs.readFileSync(sharedPath("reference/kuberay-v1.3.2/ray-cluster.complete.yaml"), "utf8"));
    manifest.spec.rayVersion = DEFAULT_RAY_VERSION;
    for (const template of [manifest.spec.headGroupSpec.template, ...manifest.spec.workerGroupSpecs.map((g: any) => g.template)]) {
        template.spec.containers[0].image = `rayproject/ray:${DEFAULT_RAY_VERSION}`;
    }
    return manifest;
}
