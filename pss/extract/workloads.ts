/** Pod templates of the built-in workload kinds: where each keeps the Pod it creates. */

import { FieldPath } from "../../model/k8s/types";
import { ExtractedPod, Manifest } from "./types";

/** kind → the path of its Pod template. */
export const WORKLOAD_TEMPLATES: Record<string, FieldPath> = {
    Deployment: ["spec", "template"],
    ReplicaSet: ["spec", "template"],
    StatefulSet: ["spec", "template"],
    DaemonSet: ["spec", "template"],
    Job: ["spec", "template"],
    ReplicationController: ["spec", "template"],
    CronJob: ["spec", "jobTemplate", "spec", "template"],
    PodTemplate: ["template"],
};

export function podOf(manifest: Manifest): ExtractedPod[] {
    return [{ pod: "", metadata: manifest.metadata as ExtractedPod["metadata"], spec: manifest.spec ?? {}, source: { specPath: ["spec"] } }];
}

export function workloadTemplate(manifest: Manifest, templatePath: FieldPath): ExtractedPod[] | undefined {
    const template = templatePath.reduce<any>((value, key) => value?.[key], manifest);
    return template?.spec ? [{ pod: "template", metadata: template.metadata, spec: template.spec, source: { specPath: [...templatePath, "spec"] } }] : undefined;
}
