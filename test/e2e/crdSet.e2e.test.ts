/**
 * The CRD set's provider against a real API server, called as the Pulumi engine calls it: create applies the
 * CRDs server-side and returns once they are Established; update applies a new chart's CRDs and removes one
 * the chart dropped; CRDs from a newer chart are refused before anything changes; read notices CRDs changed or
 * deleted behind its back; delete removes them. Test CRDs of a group of their own, so the harness's KubeRay
 * CRDs are not touched.
 */

import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as k8s from "@kubernetes/client-node";
import { afterAll, describe, expect, inject, it } from "vitest";
import { crdSetProvider, CrdSetInputs, DRIFTED } from "../../components/operator/crdSet";
import { CHART_VERSION_ANNOTATION, CrdObject, crdDigest, CRD_DIGEST_ANNOTATION } from "../../components/operator/crds";

const GROUP = "crdset.krps.test";
const kubeconfigPath = inject("controlPlane").kubeconfigPath;
const kubeConfig = new k8s.KubeConfig();
kubeConfig.loadFromFile(kubeconfigPath);
const apiext = kubeConfig.makeApiClient(k8s.ApiextensionsV1Api);
const custom = kubeConfig.makeApiClient(k8s.CustomObjectsApi);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "krps-crdset-"));

function testCrd(plural: string, fields: string[]): CrdObject {
    const kind = plural[0].toUpperCase() + plural.slice(1, -1);
    return {
        apiVersion: "apiextensions.k8s.io/v1",
        kind: "CustomResourceDefinition",
        metadata: { name: `${plural}.${GROUP}` },
        spec: {
            group: GROUP,
            scope: "Namespaced",
            names: { plural, singular: plural.slice(0, -1), kind, listKind: `${kind}List` },
            versions: [
                {
                    name: "v1",
                    served: true,
                    storage: true,
                    schema: { openAPIV3Schema: { type: "object", properties: { spec: { type: "object", properties: Object.fromEntries(fields.map((field) => [field, { type: "string" }])) } } } },
                },
            ],
        },
    };
}

/** The inputs the program would give the set for these CRDs from this chart version. */
function inputs(chartVersion: string, crds: CrdObject[]): CrdSetInputs {
    const digest = crdDigest(crds);
    const crdFile = path.join(dir, `${chartVersion}-${digest}.json`);
    fs.writeFileSync(crdFile, JSON.stringify(crds));
    return { chartVersion, digest, names: crds.map((crd) => crd.metadata.name), crdFile, kubeconfig: "", kubeconfigPath, context: "", deleteUnreachable: false };
}

async function readCrd(name: string): Promise<k8s.V1CustomResourceDefinition | undefined> {
    return apiext.readCustomResourceDefinition({ name }).catch((error) => ((error as { code?: number }).code === 404 ? undefined : Promise.reject(error)));
}

const v1 = inputs("1.7.0", [testCrd("gadgets", ["size"]), testCrd("widgets", ["color"])]);
const v2 = inputs("1.8.0", [testCrd("widgets", ["color", "shape"])]);

afterAll(async () => {
    for (const name of [`gadgets.${GROUP}`, `widgets.${GROUP}`]) await apiext.deleteCustomResourceDefinition({ name }).catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
});

describe("the CRD set on a real API server", () => {
    it("create: the CRDs applied server-side by the program's field manager, annotated, Established when it returns", async () => {
        const created = await crdSetProvider.create!(v1);
        expect(created.id).toBe(`gadgets.${GROUP},widgets.${GROUP}`);
        for (const name of v1.names) {
            const crd = (await readCrd(name))!;
            expect(crd.status?.conditions?.find((condition) => condition.type === "Established")?.status, name).toBe("True");
            expect(crd.metadata?.annotations).toMatchObject({ [CHART_VERSION_ANNOTATION]: "1.7.0", [CRD_DIGEST_ANNOTATION]: v1.digest });
            expect(crd.metadata?.managedFields?.map((entry) => [entry.manager, entry.operation])).toContainEqual(["kuberay-pod-security", "Apply"]);
        }
        await custom.createNamespacedCustomObject({ group: GROUP, version: "v1", namespace: "default", plural: "widgets", body: { apiVersion: `${GROUP}/v1`, kind: "Widget", metadata: { name: "w" }, spec: { color: "red" } } });
        expect((await crdSetProvider.read!(created.id, v1)).props.digest).toBe(v1.digest);
    });

    it("refuses CRDs older than the cluster's, before changing anything", async () => {
        await apiext.patchCustomResourceDefinition(
            { name: `widgets.${GROUP}`, body: [{ op: "add", path: `/metadata/annotations/${CHART_VERSION_ANNOTATION.replace("/", "~1")}`, value: "9.0.0" }] },
            k8s.setHeaderOptions("Content-Type", k8s.PatchStrategy.JsonPatch),
        );
        const older = inputs("1.7.0", [testCrd("gadgets", ["size", "weight"]), testCrd("widgets", ["color"])]);
        await expect(crdSetProvider.update!("id", v1, older)).rejects.toThrow(`CRD widgets.${GROUP} on the cluster is from kuberay-operator chart 9.0.0, newer than 1.7.0 (operator.chartVersion)`);
        // Nothing changed: the gadgets CRD, checked first, still has the old schema.
        const gadgets = (await readCrd(`gadgets.${GROUP}`))!;
        expect(Object.keys(gadgets.spec.versions[0].schema!.openAPIV3Schema!.properties!.spec.properties!)).toEqual(["size"]);
        await apiext.patchCustomResourceDefinition(
            { name: `widgets.${GROUP}`, body: [{ op: "replace", path: `/metadata/annotations/${CHART_VERSION_ANNOTATION.replace("/", "~1")}`, value: "1.7.0" }] },
            k8s.setHeaderOptions("Content-Type", k8s.PatchStrategy.JsonPatch),
        );
    });

    it("read: a CRD changed or deleted behind its back reports a drifted digest, so the next up applies the set again", async () => {
        await apiext.patchCustomResourceDefinition(
            { name: `gadgets.${GROUP}`, body: [{ op: "replace", path: `/metadata/annotations/${CRD_DIGEST_ANNOTATION.replace("/", "~1")}`, value: "edited" }] },
            k8s.setHeaderOptions("Content-Type", k8s.PatchStrategy.JsonPatch),
        );
        expect((await crdSetProvider.read!("id", v1)).props.digest).toBe(DRIFTED);
        expect((await crdSetProvider.diff!("id", { ...v1, digest: DRIFTED }, v1)).changes).toBe(true);
        await crdSetProvider.update!("id", { ...v1, digest: DRIFTED }, v1);
        expect((await crdSetProvider.read!("id", v1)).props.digest).toBe(v1.digest);
    });

    it("update to a new chart: its CRDs applied (objects kept), the one it dropped removed", async () => {
        await crdSetProvider.update!("id", v1, v2);
        const widgets = (await readCrd(`widgets.${GROUP}`))!;
        expect(Object.keys(widgets.spec.versions[0].schema!.openAPIV3Schema!.properties!.spec.properties!).sort()).toEqual(["color", "shape"]);
        expect(widgets.metadata?.annotations).toMatchObject({ [CHART_VERSION_ANNOTATION]: "1.8.0", [CRD_DIGEST_ANNOTATION]: v2.digest });
        expect(await readCrd(`gadgets.${GROUP}`)).toBeUndefined();
        const widget = (await custom.getNamespacedCustomObject({ group: GROUP, version: "v1", namespace: "default", plural: "widgets", name: "w" })) as { spec: { color: string } };
        expect(widget.spec.color).toBe("red");
    });

    it("a missing rendered file says what to do instead of failing obscurely", async () => {
        await expect(crdSetProvider.update!("id", v2, { ...v2, crdFile: path.join(dir, "gone.json") })).rejects.toThrow(/the rendered CRDs of kuberay-operator 1\.8\.0 \(.*gone\.json\) cannot be read .*: run the command again/);
    });

    it("delete: the CRDs gone when it returns", async () => {
        await crdSetProvider.delete!("id", v2);
        expect(await readCrd(`widgets.${GROUP}`)).toBeUndefined();
        expect((await crdSetProvider.read!("id", v2)).props.digest).toBe(DRIFTED);
    });
});
