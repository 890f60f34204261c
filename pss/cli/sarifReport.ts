/**
 * `--format sarif`: one SARIF 2.1.0 log, the shape code scanning reads (GitHub, GitLab, Azure DevOps). A rule
 * per Pod Security check; a result per violation, in the API server's words, at the line and column of the
 * field that violates (the container's securityContext field, or what it is missing from) and at the object
 * (kind, namespace, name, document) as a logical location. Skipped objects and bad input are notifications.
 */

import * as path from "path";
import { pathToFileURL } from "url";
import { CHECK_DESCRIPTIONS, POD_SECURITY_STANDARDS_URL } from "../checkDescriptions";
import { DEFAULT_CHECKS } from "../checks";
import { describePod } from "../evaluateManifest";
import { PodResult, Report, Skipped } from "./report";

export interface SarifOptions {
    level: string;
    version: string;
    /** The folder relative file names are read from: the base of every artifact's URI. */
    cwd: string;
    toolVersion: string;
}

const RULES = [...DEFAULT_CHECKS]
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((check) => {
        const text = CHECK_DESCRIPTIONS[check.id];
        const name = text.control.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ?? "").toUpperCase()).replace(/^./, (c) => c.toUpperCase());
        return {
            id: check.id,
            // SARIF wants a name that differs from the id, or none.
            ...(name.toLowerCase() !== check.id.toLowerCase() ? { name } : {}),
            shortDescription: { text: text.short },
            fullDescription: { text: text.full },
            helpUri: `${POD_SECURITY_STANDARDS_URL}#${check.level}`,
            help: { text: `${text.full} Pod Security Standards, ${check.level} profile: ${POD_SECURITY_STANDARDS_URL}#${check.level}` },
            defaultConfiguration: { level: "error" },
            properties: { tags: ["security", "pod-security", check.level] },
        };
    });
/** The tool's page: the project publishes none of its own, so the KubeRay tutorial it automates. */
const TOOL_INFORMATION_URI = "https://docs.ray.io/en/latest/cluster/kubernetes/user-guides/pod-security.html";

const RULE_INDEX = new Map(RULES.map((rule, index) => [rule.id, index]));

/** A URI reference for a file argument: relative to the base for a relative name, a file: URL otherwise. */
function artifactLocation(file: string): { uri: string; uriBaseId?: string } {
    if (path.isAbsolute(file)) return { uri: pathToFileURL(file).href };
    return { uri: file.split(path.sep).map(encodeURIComponent).join("/"), uriBaseId: "SRCROOT" };
}

const sentence = (text: string) => (/[.!?]$/.test(text) ? text : `${text}.`);

export function sarifReport(stdout: (text: string) => void, options: SarifOptions): Report {
    const results: unknown[] = [];
    const notifications: unknown[] = [];
    const write = (executionSuccessful: boolean) => {
        const log = {
            $schema: "https://json.schemastore.org/sarif-2.1.0.json",
            version: "2.1.0",
            runs: [
                {
                    tool: { driver: { name: "kuberay-pss", version: options.toolVersion, semanticVersion: options.toolVersion, informationUri: TOOL_INFORMATION_URI, rules: RULES } },
                    // Columns count UTF-16 code units, as JavaScript strings do.
                    columnKind: "utf16CodeUnits",
                    originalUriBaseIds: { SRCROOT: { uri: pathToFileURL(options.cwd + path.sep).href } },
                    invocations: [{ executionSuccessful, toolExecutionNotifications: notifications }],
                    results,
                    properties: { podSecurity: `${options.level}:${options.version}` },
                },
            ],
        };
        stdout(`${JSON.stringify(log, null, 2)}\n`);
    };
    return {
        result(r: PodResult) {
            const logical = {
                name: r.name,
                fullyQualifiedName: [r.kind, r.namespace, r.name].filter(Boolean).join("/"),
                kind: "resource",
                properties: { document: r.document, pod: r.pod },
            };
            for (const violation of r.violations) {
                const where = describePod(r.kind, r.name, r.pod);
                const text = `${where}: violates PodSecurity "${r.level}:${r.version}": ${violation.reason}${violation.detail ? ` (${violation.detail})` : ""}`;
                // An injected container points at what it copies: the same field can come twice.
                const fields = [...new Map((violation.fields ?? []).map((field) => [field.path, field])).values()];
                results.push({
                    ruleId: violation.check,
                    ruleIndex: RULE_INDEX.get(violation.check),
                    level: "error",
                    message: { text: sentence(text) },
                    locations: (fields.length > 0 ? fields : [undefined]).map((field) => ({
                        ...(r.file !== "-"
                            ? {
                                  physicalLocation: {
                                      artifactLocation: artifactLocation(r.file),
                                      region: field ? { startLine: field.line, startColumn: field.column } : { startLine: r.line ?? 1 },
                                  },
                              }
                            : {}),
                        logicalLocations: [field ? { ...logical, properties: { ...logical.properties, field: field.path } } : logical],
                    })),
                });
            }
        },
        skipped(s: Skipped) {
            notifications.push({
                level: "note",
                message: { text: sentence(`Skipped ${s.file}#${s.document} ${s.kind || "?"}/${s.name}: ${s.reason}`) },
                ...(s.file !== "-" ? { locations: [{ physicalLocation: { artifactLocation: artifactLocation(s.file), ...(s.line ? { region: { startLine: s.line } } : {}) } }] } : {}),
            });
        },
        finish() {
            write(true);
        },
        abort() {
            results.length = 0;
        },
        fail(message: string) {
            notifications.push({ level: "error", message: { text: sentence(message) } });
            write(false);
        },
    };
}
