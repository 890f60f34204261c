/** Validation of `ray.workerGroups`, the one list-of-objects key (Pulumi.yaml cannot declare it). */

import { CPU_RULE, isCpuQuantity, isDns1123Label, isMemoryQuantity, MEMORY_RULE } from "./formats";
import { Problems } from "./problems";
import { asInteger, asString } from "./reader";
import { DEFAULT_WORKER_GROUP, WORKER_GROUPS_KEY } from "./schema";
import { isPlainObject } from "./tree";
import { WorkerGroup } from "../model/ray";

const FIELDS = ["name", "replicas", "minReplicas", "maxReplicas", "cpu", "memory"];


/**
 * Each group needs a name; `replicas` defaults to 1, `minReplicas`/`maxReplicas` to `replicas` (a fixed-size
 * group), `cpu`/`memory` to the default group's. Absent key: one default group.
 */
export function readWorkerGroups(value: unknown, problems: Problems): WorkerGroup[] {
    if (value === undefined) {
        return [{ ...DEFAULT_WORKER_GROUP }];
    }
    const list = typeof value === "string" ? parseJson(value) : value;
    if (!Array.isArray(list)) {
        problems.invalid(WORKER_GROUPS_KEY, value, 'a list of worker groups, such as [{"name": "small-group", "replicas": 1, "cpu": "1", "memory": "2Gi"}]');
        return [];
    }
    const groups = list.map((entry, index) => readWorkerGroup(entry, `${WORKER_GROUPS_KEY}[${index}]`, problems));
    groups.forEach((group, index) => {
        if (group && groups.findIndex((other) => other?.name === group.name) < index) {
            problems.invalid(`${WORKER_GROUPS_KEY}[${index}].name`, group.name, "unique among the worker groups");
        }
    });
    return groups.filter((group): group is WorkerGroup => group !== undefined);
}

function parseJson(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        return text;
    }
}

function readWorkerGroup(entry: unknown, key: string, problems: Problems): WorkerGroup | undefined {
    if (!isPlainObject(entry)) {
        problems.invalid(key, entry, 'an object with "name" and optionally "replicas", "minReplicas", "maxReplicas", "cpu", "memory"');
        return undefined;
    }
    for (const field of Object.keys(entry).filter((field) => !FIELDS.includes(field))) {
        problems.add(`Configuration "${key}.${field}" is not a known worker group field; known fields: ${FIELDS.join(", ")}.`);
    }
    const before = problems.count;
    const name = asString(entry.name ?? "", `${key}.name`, problems) ?? "";
    if (!isDns1123Label(name)) {
        problems.invalid(`${key}.name`, entry.name ?? "", "a group name: lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters");
    }
    const replicas = asInteger(entry.replicas ?? 1, `${key}.replicas`, 0, problems) ?? 0;
    const minReplicas = asInteger(entry.minReplicas ?? replicas, `${key}.minReplicas`, 0, problems) ?? 0;
    const maxReplicas = asInteger(entry.maxReplicas ?? replicas, `${key}.maxReplicas`, 0, problems) ?? 0;
    const cpu = asString(entry.cpu ?? DEFAULT_WORKER_GROUP.cpu, `${key}.cpu`, problems) ?? "";
    if (!isCpuQuantity(cpu)) {
        problems.invalid(`${key}.cpu`, entry.cpu, CPU_RULE);
    }
    const memory = asString(entry.memory ?? DEFAULT_WORKER_GROUP.memory, `${key}.memory`, problems) ?? "";
    if (!isMemoryQuantity(memory)) {
        problems.invalid(`${key}.memory`, entry.memory, MEMORY_RULE);
    }
    if (problems.count === before) {
        // Range checks only make sense once each number is valid on its own.
        if (minReplicas > maxReplicas) {
            problems.invalid(`${key}.minReplicas`, minReplicas, `at most maxReplicas (${maxReplicas})`);
        } else if (replicas < minReplicas || replicas > maxReplicas) {
            problems.invalid(`${key}.replicas`, replicas, `between minReplicas (${minReplicas}) and maxReplicas (${maxReplicas})`);
        }
    }
    return { name, replicas, minReplicas, maxReplicas, cpu, memory };
}
