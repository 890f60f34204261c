import * as fs from "fs";
import Ajv, { ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { parse } from "yaml";
import { testDataPath } from "../support/testData";

type Schema = Record<string, any>;

/**
 * The API server prunes fields a structural schema does not declare, and rejects them under strict field
 * validation (`kubectl apply --validate=strict`, server-side apply's default warning). Closing every object
 * that declares properties makes a misspelt field a test failure instead of a silent no-op.
 */
function closeObjects(schema: Schema): Schema {
    if (Array.isArray(schema)) {
        return schema.map(closeObjects);
    }
    if (typeof schema !== "object" || schema === null) {
        return schema;
    }
    const closed: Schema = Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, key === "properties" ? mapValues(value, closeObjects) : closeObjects(value)]));
    if (closed.type === "object" && closed.properties && closed.additionalProperties === undefined && !closed["x-kubernetes-preserve-unknown-fields"]) {
        closed.additionalProperties = false;
    }
    return closed;
}

function mapValues(object: Schema, fn: (value: any) => any): Schema {
    return Object.fromEntries(Object.entries(object).map(([key, value]) => [key, fn(value)]));
}

const validators = new Map<string, ValidateFunction>();

/** A validator for the `v1` schema of a CRD under test/data/kuberay-v1.7.0/crds/. */
export function crdValidator(file: string): ValidateFunction {
    let validate = validators.get(file);
    if (!validate) {
        const crd = parse(fs.readFileSync(testDataPath(`kuberay-v1.7.0/crds/${file}`), "utf8"));
        const version = crd.spec.versions.find((v: { name: string }) => v.name === "v1");
        const ajv = new Ajv({ strict: false, allErrors: true });
        addFormats(ajv);
        ajv.addFormat("int32", { type: "number", validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
        ajv.addFormat("int64", { type: "number", validate: (n: number) => Number.isSafeInteger(n) });
        validate = ajv.compile(closeObjects(version.schema.openAPIV3Schema));
        validators.set(file, validate);
    }
    return validate;
}

/** Schema errors of a RayCluster object (`path: message`), empty when valid. */
export function validateRayCluster(object: unknown): string[] {
    const validate = crdValidator("ray.io_rayclusters.yaml");
    return validate(object) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || "/"}: ${e.message}${e.params && "additionalProperty" in e.params ? ` (${e.params.additionalProperty})` : ""}`);
}
