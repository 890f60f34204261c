/** Pod templates of the built-in workload kinds: where each keeps the Pod it creates. */

import { ExtractedPod, Manifest } from "./types";

type TemplateOf = (manifest: Manifest) => { metadata?: any; spec?: any } | undefined;

const specTemplate: TemplateOf = (m) => m.spec?.template;

/** kind → where its Pod template lives. */
export const WORKLOAD_TEMPLATES: Record<string, TemplateOf> = {
    Deployment: specTemplate,
    ReplicaSet: specTemplate,
    StatefulSet: specTemplate,
    DaemonSet: specTemplate,
    Job: specTemplate,
    ReplicationController: specTemplate,
    CronJob: (m) => m.spec?.jobTemplate?.spec?.template,
    PodTemplate: (m) => m.template,
};

export function podOf(manifest: Manifest): ExtractedPod[] {
    return [{ pod: "", metadata: manifest.metadata as ExtractedPod["metadata"], spec: manifest.spec ?? {} }];
}

export function workloadTemplate(manifest: Manifest, templateOf: TemplateOf): ExtractedPod[] | undefined {
    const template = templateOf(manifest);
    return template?.spec ? [{ pod: "template", metadata: template.metadata, spec: template.spec }] : undefined;
}
