import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";

// Internal to the SDK (not in its typings) but exactly what is needed: resolves once every outstanding
// resource registration has been answered by the mock monitor.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { waitForRPCs } = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> };
import { PROJECT } from "./stackConfig";

export const FAKE_KUBECONFIG = "apiVersion: v1\nkind: Config\nclusters: []\n";

/** What the mocked `kubernetes:helm:template` invoke renders: two small CRDs and an object that is not one. */
export const FAKE_RENDERED_CHART = [
    { apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition", metadata: { name: "rayjobs.ray.io" }, spec: { group: "ray.io", versions: [{ name: "v1" }] } },
    { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "kuberay-operator" } },
    { apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition", metadata: { name: "rayclusters.ray.io" }, spec: { group: "ray.io", versions: [{ name: "v1" }] } },
];

export interface Invocation {
    token: string;
    inputs: Record<string, any>;
}

export interface Registration {
    type: string;
    name: string;
    inputs: Record<string, any>;
    provider?: string;
    custom: boolean;
    /** For a read of an existing resource (`Resource.get`): the ID it looks up; undefined for a resource the program declares. */
    readId?: string;
    /** Type of the parent resource, read from the URN (`parentType$type`); undefined at the top level. */
    parentType?: string;
}

export interface ProgramRun {
    registrations: Registration[];
    invocations: Invocation[];
    outputs: Record<string, unknown>;
    /** Outputs marked secret. */
    secretOutputs: string[];
    find(type: string, name?: string): Registration;
}

/**
 * Runs index.ts under Pulumi mocks with the given configuration, waits until every registration is done,
 * and resolves every stack output.
 */
export async function runProgram(stack: string, config: Record<string, string>): Promise<ProgramRun> {
    const registrations: Registration[] = [];
    const invocations: Invocation[] = [];
    // The program keeps rendered CRDs under $XDG_CACHE_HOME: a folder of the test run's, not the user's cache.
    useTestCacheHome();
    pulumi.runtime.setAllConfig(config);
    await pulumi.runtime.setMocks(
        {
            newResource(args) {
                registrations.push({ type: args.type, name: args.name, inputs: args.inputs, provider: args.provider, custom: args.custom ?? false, ...(args.id ? { readId: args.id } : {}) });
                const state = args.type === "command:local:Command" ? { ...args.inputs, stdout: FAKE_KUBECONFIG, stderr: "" } : args.inputs;
                return { id: args.custom ? `${args.name}-id` : undefined, state };
            },
            call(args) {
                invocations.push({ token: args.token, inputs: args.inputs });
                return mockedCall(args);
            },
        },
        PROJECT,
        stack,
        false,
    );
    const program: Record<string, unknown> = await import("../../index");
    const outputs: Record<string, unknown> = {};
    const secretOutputs: string[] = [];
    for (const [name, value] of Object.entries(program)) {
        if (pulumi.Output.isInstance(value)) {
            outputs[name] = await new Promise((resolve) => value.apply(resolve));
            if (await pulumi.isSecret(value)) {
                secretOutputs.push(name);
            }
        } else {
            outputs[name] = value;
        }
    }
    await waitForRPCs();
    attachParents(registrations);
    return {
        registrations,
        invocations,
        outputs,
        secretOutputs,
        find(type, name) {
            const found = registrations.filter((r) => r.type === type && (name === undefined || r.name === name));
            if (found.length !== 1) {
                throw new Error(`expected one ${type}${name ? ` named ${name}` : ""}, found ${found.length}`);
            }
            return found[0];
        },
    };
}

function attachParents(registrations: Registration[]): void {
    const monitor = pulumi.runtime.getMonitor() as unknown as { resources: Map<string, unknown> };
    for (const urn of monitor.resources.keys()) {
        // urn:pulumi:<stack>::<project>::<parentType$type>::<name>
        const parts = urn.split("::");
        const qualifiedType = parts[2];
        const name = parts.slice(3).join("::");
        const types = qualifiedType.split("$");
        const type = types[types.length - 1];
        const registration = registrations.find((r) => r.type === type && r.name === name && r.parentType === undefined);
        if (registration && types.length > 1) {
            registration.parentType = types[types.length - 2];
        }
    }
}

const cacheHomes: string[] = [];

/** Points $XDG_CACHE_HOME at a new temporary folder (no render cached from an earlier run), removed at exit. */
export function useTestCacheHome(): void {
    if (cacheHomes.length === 0) process.once("exit", () => cacheHomes.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "krps-unit-cache-"));
    cacheHomes.push(dir);
    process.env.XDG_CACHE_HOME = dir;
}

/** The mocks' answer to an invoke: the chart's render for the template invoke, the inputs otherwise. */
export function mockedCall(args: { token: string; inputs: Record<string, any> }): Record<string, any> {
    return args.token === "kubernetes:helm:template" ? { result: FAKE_RENDERED_CHART } : args.inputs;
}
