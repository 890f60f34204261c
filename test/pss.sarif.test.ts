/**
 * `--format sarif`: a log Microsoft's SARIF validator and the SARIF 2.1.0 schema accept, for the tutorial's
 * manifests, the program's own RayCluster, skipped objects and bad input; every violation at the line and
 * column of the field that violates, in the API server's words.
 */

import * as path from "path";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { buildRayCluster } from "../components/raycluster/rayClusterSpec";
import { evaluateManifest } from "../pss/evaluateManifest";
import { CHECK_DESCRIPTIONS } from "../pss/checkDescriptions";
import { DEFAULT_CHECKS } from "../pss/checks";
import { runPss, tempManifest } from "./helpers/pssCli";
import { multitoolFindings, schemaErrors } from "./helpers/sarifValidator";
import { PROJECT_DIR } from "./support/paths";

const STEP_51 = "test/data/kuberay-v1.3.2/ray-cluster.complete.yaml";
const HARDENED = "test/data/kuberay-v1.3.2/ray-cluster.pod-security.yaml";

function sarif(args: string[], options: { stdin?: string; cwd?: string } = {}) {
    const run = runPss(["--format", "sarif", ...args], { cwd: PROJECT_DIR, ...options });
    return { ...run, log: JSON.parse(run.stdout), run: JSON.parse(run.stdout).runs[0] };
}

/** Each result's rule and its locations as `line:column field`. */
function placed(run: any): [string, string[]][] {
    return run.results.map((r: any) => [
        r.ruleId,
        r.locations.map((l: any) => `${l.physicalLocation?.region.startLine}:${l.physicalLocation?.region.startColumn} ${l.logicalLocations[0].properties.field ?? ""}`),
    ]);
}

const pod = (spec: string) => `apiVersion: v1
kind: Pod
metadata:
  name: p
  namespace: team
spec:
${spec}`;

describe("pss --format sarif", () => {
    it("is a log the SARIF validator and the schema accept, for Step 5.1's manifest and the hardened one", () => {
        for (const file of [STEP_51, HARDENED]) {
            const { stdout, log } = sarif([file]);
            expect(multitoolFindings(stdout), file).toEqual([]);
            expect(schemaErrors(log), file).toEqual([]);
        }
    });

    it("has a rule per check, described, with the Pod Security Standards page; every result names its rule's index", () => {
        const { run } = sarif([STEP_51]);
        const rules = run.tool.driver.rules;
        expect(rules.map((r: any) => r.id).sort()).toEqual(DEFAULT_CHECKS.map((c) => c.id).sort());
        for (const rule of rules) {
            expect(rule.shortDescription.text).toBe(CHECK_DESCRIPTIONS[rule.id].short);
            expect(rule.helpUri).toMatch(/^https:\/\/kubernetes\.io\/docs\/concepts\/security\/pod-security-standards\/#(baseline|restricted)$/);
        }
        expect(run.tool.driver).toMatchObject({ name: "kuberay-pss", version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
        for (const result of run.results) expect(rules[result.ruleIndex].id).toBe(result.ruleId);
    });

    it("gives a result per violation, in the API server's words, at the container that violates", () => {
        const { code, run } = sarif([STEP_51]);
        expect(code).toBe(1);
        const verdict = evaluateManifest(require("yaml").parse(require("fs").readFileSync(path.join(PROJECT_DIR, STEP_51), "utf8")), "restricted", "latest");
        if (!verdict.evaluated) throw new Error("not evaluated");
        const expected = verdict.pods.flatMap((p) =>
            p.violations.map((v) => `RayCluster "raycluster-complete" ${p.pod} Pod: violates PodSecurity "restricted:latest": ${v.reason} (${v.detail}).`),
        );
        expect(run.results.map((r: any) => r.message.text)).toEqual(expected);
        // ray-head is the item at line 29 (`- name: ray-head`, its first key at column 11); the head template's spec at 27.
        expect(placed(run).slice(0, 4)).toEqual([
            ["allowPrivilegeEscalation", ["29:11 spec.headGroupSpec.template.spec.containers.0"]],
            ["capabilities_restricted", ["29:11 spec.headGroupSpec.template.spec.containers.0"]],
            ["runAsNonRoot", ["29:11 spec.headGroupSpec.template.spec.containers.0", "27:7 spec.headGroupSpec.template.spec"]],
            ["seccompProfile_restricted", ["29:11 spec.headGroupSpec.template.spec.containers.0", "27:7 spec.headGroupSpec.template.spec"]],
        ]);
        // The worker's injected wait-gcs-ready copies the ray-worker container: one place, not two.
        expect(placed(run)[4]).toEqual(["allowPrivilegeEscalation", ["86:11 spec.workerGroupSpecs.0.template.spec.containers.0"]]);
        const location = run.results[0].locations[0];
        expect(location.physicalLocation.artifactLocation).toEqual({ uri: STEP_51, uriBaseId: "SRCROOT" });
        expect(location.logicalLocations[0]).toMatchObject({ name: "raycluster-complete", fullyQualifiedName: "RayCluster/raycluster-complete", kind: "resource" });
        expect(run.originalUriBaseIds.SRCROOT.uri).toBe(`file://${PROJECT_DIR}/`);
    });

    it("points at the field itself when it is written, at its securityContext or the container when not", () => {
        const { dir } = tempManifest(
            "pod.yaml",
            pod(`  hostNetwork: true
  volumes:
  - name: host
    hostPath: {path: /}
  containers:
  - name: a
    image: x
    securityContext:
      privileged: true
  - name: b
    image: x
    securityContext: {}`),
        );
        const { run, log, stdout } = sarif(["--level", "baseline", "pod.yaml"], { cwd: dir });
        expect(placed(run)).toEqual([
            ["hostNamespaces", ["7:3 spec.hostNetwork"]],
            ["hostPathVolumes", ["9:5 spec.volumes.0"]],
            ["privileged", ["15:7 spec.containers.0.securityContext.privileged"]],
        ]);
        expect(run.results[0].locations[0].logicalLocations[0].fullyQualifiedName).toBe("Pod/team/p");
        expect(multitoolFindings(stdout)).toEqual([]);
        expect(schemaErrors(log)).toEqual([]);
        const restrictedRun = sarif(["pod.yaml"], { cwd: dir });
        expect(multitoolFindings(restrictedRun.stdout)).toEqual([]);
        const restricted = restrictedRun.run;
        const escalation = restricted.results.find((r: any) => r.ruleId === "allowPrivilegeEscalation");
        expect(escalation.locations.map((l: any) => `${l.physicalLocation.region.startLine} ${l.logicalLocations[0].properties.field}`)).toEqual([
            "14 spec.containers.0.securityContext",
            "18 spec.containers.1.securityContext",
        ]);
    });

    it("points an injected autoscaler at autoscalerOptions, and finds fields in JSON too", () => {
        const cluster = buildRayCluster({ name: "rc", rayVersion: "2.52.0", image: "rayproject/ray:2.52.0", head: { cpu: "1", memory: "2Gi" }, workerGroups: [], autoscaling: true, exampleConfigMap: "ex" });
        const json = JSON.stringify({ ...cluster, spec: { ...cluster.spec, autoscalerOptions: { securityContext: { runAsNonRoot: true } } } }, null, 2);
        const { dir } = tempManifest("cluster.json", json);
        const { run, stdout, log } = sarif(["cluster.json"], { cwd: dir });
        expect(multitoolFindings(stdout)).toEqual([]);
        expect(schemaErrors(log)).toEqual([]);
        const lines = json.split("\n");
        // The autoscaler's securityContext is written (no allowPrivilegeEscalation in it): its key, one line below autoscalerOptions.
        const securityContextLine = lines.findIndex((l) => l.includes('"autoscalerOptions"')) + 2;
        expect(lines[securityContextLine - 1]).toBe('      "securityContext": {');
        expect(placed(run)).toEqual([
            ["allowPrivilegeEscalation", [`${securityContextLine}:7 spec.autoscalerOptions.securityContext`]],
            ["capabilities_restricted", [`${securityContextLine}:7 spec.autoscalerOptions.securityContext`]],
        ]);
    });

    it("points at the key the decoder keeps (the last of duplicates), and at a user's own container named autoscaler", () => {
        // Line 11 says privileged: false, line 12 privileged: true: the decoder keeps the second.
        const duplicate = tempManifest("pod.yaml", pod(`  containers:
  - name: a
    image: x
    securityContext:
      privileged: false
      privileged: true`));
        expect(placed(sarif(["--level", "baseline", "pod.yaml"], { cwd: duplicate.dir }).run)).toEqual([["privileged", ["12:7 spec.containers.0.securityContext.privileged"]]]);
        const cluster = buildRayCluster({ name: "rc", rayVersion: "2.52.0", image: "x", head: { cpu: "1", memory: "2Gi" }, workerGroups: [], autoscaling: false, exampleConfigMap: "ex" });
        const head = cluster.spec.headGroupSpec.template.spec;
        const own = { ...cluster, spec: { ...cluster.spec, headGroupSpec: { ...cluster.spec.headGroupSpec, template: { spec: { ...head, containers: [...head.containers, { name: "autoscaler", image: "x", securityContext: { privileged: true } }] } } } } };
        const file = tempManifest("own.yaml", stringify(own));
        const fields = placed(sarif(["--level", "baseline", "own.yaml"], { cwd: file.dir }).run).flatMap(([, places]) => places.map((p) => p.split(" ")[1]));
        expect(fields).toEqual(["spec.headGroupSpec.template.spec.containers.1.securityContext.privileged"]);
    });

    it("says nothing against the program's own RayCluster", () => {
        const cluster = buildRayCluster({ name: "rc", rayVersion: "2.52.0", image: "rayproject/ray:2.52.0", head: { cpu: "1", memory: "2Gi" }, workerGroups: [{ name: "w", replicas: 1, minReplicas: 1, maxReplicas: 2, cpu: "1", memory: "2Gi" }], autoscaling: true, exampleConfigMap: "ex" });
        const { code, run, stdout } = sarif(["-"], { stdin: stringify(cluster) });
        expect(code).toBe(0);
        expect(run.results).toEqual([]);
        expect(multitoolFindings(stdout)).toEqual([]);
    });

    it("makes skipped objects notes and bad input an error notification, with exit 2", () => {
        const { dir } = tempManifest("mixed.yaml", `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n---\n${pod("  containers: [{name: a, image: x}]")}`);
        const skipped = sarif(["mixed.yaml"], { cwd: dir });
        expect(skipped.run.invocations[0]).toMatchObject({ executionSuccessful: true, toolExecutionNotifications: [{ level: "note", message: { text: "Skipped mixed.yaml#0 ConfigMap/c: ConfigMap does not carry a Pod." } }] });
        expect(multitoolFindings(skipped.stdout)).toEqual([]);
        const broken = tempManifest("broken.yaml", "kind: Pod\nspec: [\n");
        const bad = sarif(["broken.yaml"], { cwd: broken.dir });
        expect(bad.code).toBe(2);
        expect(bad.stderr).toMatch(/^pss: broken\.yaml: .*invalid YAML/);
        expect(bad.run.invocations[0].executionSuccessful).toBe(false);
        expect(bad.run.invocations[0].toolExecutionNotifications).toEqual([{ level: "error", message: { text: expect.stringMatching(/^broken\.yaml: .*invalid YAML/) } }]);
        expect(bad.run.results).toEqual([]);
        expect(multitoolFindings(bad.stdout)).toEqual([]);
        expect(schemaErrors(bad.log)).toEqual([]);
    });
});
