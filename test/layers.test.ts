/**
 * The layers point one way. Each room (a top-level folder, `index.ts`, or a part of test/) may import only the
 * rooms this table allows, and no two folders, at any depth, import each other in a circle. Bottom to top:
 * lib and model (plain data and pure functions, importing nothing of the project); the checker; config (the
 * input layer) beside the components (which take their own Args, never config types); the composition
 * (program/, index.ts). The policy pack and verify stand on the bottom layers only. The test support folder
 * serves every suite and the benchmarks; suites never import each other.
 */

import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { importsOf, relative, sourceFiles } from "./helpers/importGraph";

const PRODUCT = ["lib", "model", "pss", "config", "components", "verify", "policy", "program", "plugin", "index.ts"];
const SUITES = ["test/e2e", "test/engine", "test/node", "test/kind", "test/example"];

/** Room → the rooms it may import (itself always). */
const ALLOWED: Record<string, readonly string[]> = {
    lib: [],
    model: [],
    pss: ["model", "lib"],
    config: ["model", "lib"],
    components: ["pss", "model", "lib"],
    verify: ["model", "lib"],
    policy: ["pss", "model", "lib"],
    program: ["components", "config", "model", "lib"],
    plugin: ["components", "model", "lib"],
    "index.ts": ["program", "components", "config", "model", "lib"],
    bench: ["pss", "model", "lib", "test/support"],
    "test/support": PRODUCT,
    "test/helpers": [...PRODUCT, "test/support"],
    test: [...PRODUCT, "test/helpers", "test/support"],
    ...Object.fromEntries(SUITES.map((suite) => [suite, [...PRODUCT, "test/support"]])),
};

/** The room a project file belongs to. */
function roomOf(file: string): string {
    const parts = relative(file).split(path.sep);
    if (parts[0] === "test" && parts.length > 2) return `test/${parts[1]}`;
    return parts.length === 1 && parts[0] !== "index.ts" ? "." : parts[0];
}

const files = sourceFiles().filter((file) => roomOf(file) !== ".");
const arrows = files.flatMap((from) => importsOf(from).map((to) => ({ from, to })));

/** A circle in a directed graph given as adjacency sets, as a list of nodes, or undefined. */
function findCircle(graph: Map<string, Set<string>>): string[] | undefined {
    const state = new Map<string, "open" | "done">();
    const stack: string[] = [];
    const visit = (node: string): string[] | undefined => {
        state.set(node, "open");
        stack.push(node);
        for (const next of graph.get(node) ?? []) {
            if (state.get(next) === "open") return [...stack.slice(stack.indexOf(next)), next];
            if (!state.has(next)) {
                const circle = visit(next);
                if (circle) return circle;
            }
        }
        stack.pop();
        state.set(node, "done");
        return undefined;
    };
    for (const node of graph.keys()) {
        if (!state.has(node)) {
            const circle = visit(node);
            if (circle) return circle;
        }
    }
    return undefined;
}

function graphOf(pairs: { from: string; to: string }[]): Map<string, Set<string>> {
    const graph = new Map<string, Set<string>>();
    for (const { from, to } of pairs) {
        if (from === to) continue;
        if (!graph.has(from)) graph.set(from, new Set());
        graph.get(from)!.add(to);
    }
    return graph;
}

describe("layers", () => {
    it("reads the import graph (this file imports its helper; the program imports its components)", () => {
        const names = arrows.map(({ from, to }) => `${relative(from)} -> ${relative(to)}`);
        expect(names).toContain(`test/layers.test.ts -> ${path.join("test", "helpers", "importGraph.ts")}`);
        expect(names.some((name) => name.startsWith("index.ts -> components/"))).toBe(true);
        expect(files.length).toBeGreaterThan(150);
    });

    it("knows every room it finds", () => {
        expect([...new Set(files.map(roomOf))].filter((room) => !(room in ALLOWED))).toEqual([]);
    });

    it("has every cross-room import in the table", () => {
        const outside = arrows
            .filter(({ from, to }) => roomOf(from) !== roomOf(to) && !ALLOWED[roomOf(from)]?.includes(roomOf(to)))
            .map(({ from, to }) => `${relative(from)} -> ${relative(to)} (${roomOf(from)} may import: ${ALLOWED[roomOf(from)]?.join(", ") || "nothing"})`);
        expect(outside).toEqual([]);
    });

    it("allows no circle between rooms", () => {
        const table = Object.entries(ALLOWED).flatMap(([from, tos]) => tos.map((to) => ({ from, to })));
        expect(findCircle(graphOf(table))).toBeUndefined();
    });

    it("has no circle between folders, at any depth", () => {
        const folders = graphOf(arrows.map(({ from, to }) => ({ from: relative(path.dirname(from)) || ".", to: relative(path.dirname(to)) || "." })));
        expect(findCircle(folders)?.join(" -> ")).toBeUndefined();
    });

    it("has no circle between files either (two modules that need each other are one, or share a third)", () => {
        expect(findCircle(graphOf(arrows.map(({ from, to }) => ({ from: relative(from), to: relative(to) }))))?.join(" -> ")).toBeUndefined();
    });

    it("keeps the bottom layers plain: model loads no package at all, lib no Pulumi and no Kubernetes client", () => {
        const loads = (room: string) =>
            files
                .filter((file) => roomOf(file) === room)
                .flatMap((file) => [...fs.readFileSync(file, "utf8").matchAll(/from\s+"([^".][^"]*)"/g)].map((match) => `${relative(file)}: ${match[1]}`));
        expect(files.filter((file) => roomOf(file) === "model").length).toBeGreaterThan(4);
        expect(loads("model")).toEqual([]);
        expect(loads("lib").filter((load) => /: @(pulumi|kubernetes)\//.test(load))).toEqual([]);
    });

    it("finds a circle when there is one (the walk itself)", () => {
        expect(findCircle(graphOf([{ from: "a", to: "b" }, { from: "b", to: "c" }, { from: "c", to: "a" }]))).toEqual(["a", "b", "c", "a"]);
        expect(findCircle(graphOf([{ from: "a", to: "b" }, { from: "a", to: "c" }, { from: "b", to: "c" }]))).toBeUndefined();
    });
});
