/**
 * Which fields of a manifest a violation is about, so that a report can point at the line a user wrote: the
 * containers' (or the Pod's) securityContext field the check reads, a volume, a host namespace. The checks
 * name containers and volumes in their details (upstream's words: `containers "a", "b" must …`, `pod or
 * container "a" …`); injected containers point at what they copy (model/kuberay).
 */

import type { FieldPath, PodSource } from "../model/k8s/types";
import type { Violation } from "./index";

/** The securityContext field each check reads (Pod and container alike), where it has one. */
const SECURITY_CONTEXT_FIELD: Record<string, string> = {
    allowPrivilegeEscalation: "allowPrivilegeEscalation",
    capabilities_baseline: "capabilities",
    capabilities_restricted: "capabilities",
    privileged: "privileged",
    procMount: "procMount",
    procMount_restricted: "procMount",
    runAsNonRoot: "runAsNonRoot",
    runAsUser: "runAsUser",
    seccompProfile_baseline: "seccompProfile",
    seccompProfile_restricted: "seccompProfile",
    seLinuxOptions: "seLinuxOptions",
    appArmorProfile: "appArmorProfile",
    windowsHostProcess: "windowsOptions",
    sysctls: "sysctls",
};

const CONTAINER_LISTS = ["containers", "initContainers", "ephemeralContainers"];

/** The Go-quoted names after a word (`containers "a", "b"`, `volume "v"`) in a check's detail. */
function namesAfter(word: string, detail: string): string[] {
    const names: string[] = [];
    for (const match of detail.matchAll(new RegExp(`\\b${word}s? ((?:"(?:[^"\\\\]|\\\\.)*"(?:, )?)+)`, "g"))) {
        for (const quoted of match[1].matchAll(/"(?:[^"\\]|\\.)*"/g)) names.push(JSON.parse(quoted[0]) as string);
    }
    return names;
}

/** Where a container of the Pod is written: in the Pod's spec, or (injected) where the operator copies it from. */
function containerPath(name: string, spec: Record<string, any>, source: PodSource): FieldPath | undefined {
    const injected = source.containers?.[name];
    if (injected) return injected;
    for (const list of CONTAINER_LISTS) {
        const index = Array.isArray(spec[list]) ? spec[list].findIndex((c: { name?: unknown }) => c?.name === name) : -1;
        if (index >= 0) return [...source.specPath, list, index];
    }
    return undefined;
}

/** The fields a violation is about, most specific first within each; at least one (the Pod's spec). */
export function violationFields(violation: Pick<Violation, "check" | "detail">, spec: Record<string, any>, source: PodSource): FieldPath[] {
    const { check, detail } = violation;
    const field = SECURITY_CONTEXT_FIELD[check];
    const fields: FieldPath[] = [];
    for (const name of namesAfter("container", detail)) {
        const container = containerPath(name, spec, source);
        if (!container) continue;
        if (check === "hostPorts") fields.push([...container, "ports"]);
        else if (check === "hostProbesAndHostLifecycle") fields.push(container);
        else fields.push(field ? [...container, "securityContext", field] : [...container, "securityContext"]);
    }
    for (const name of namesAfter("volume", detail)) {
        const index = Array.isArray(spec.volumes) ? spec.volumes.findIndex((v: { name?: unknown }) => v?.name === name) : -1;
        if (index >= 0) fields.push([...source.specPath, "volumes", index]);
    }
    if (check === "hostNamespaces") {
        fields.push(...[...detail.matchAll(/\b(host\w+)=true/g)].map((m) => [...source.specPath, m[1]]));
    }
    if (/^pod\b/.test(detail) || check === "sysctls") {
        fields.push(field ? [...source.specPath, "securityContext", field] : [...source.specPath, "securityContext"]);
    }
    if (/\bannotations? /.test(detail)) fields.push([...source.specPath.slice(0, -1), "metadata", "annotations"]);
    return fields.length > 0 ? fields : [source.specPath];
}
