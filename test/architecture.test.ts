/**
 * The layering docs/ARCHITECTURE.md promises, checked on the sources: `cli/`, `project/` and
 * `asset-page/` never reach into the bundler glue, the CLI never into the dev server's asset
 * page, lower layers never import higher ones, and runtime imports form no
 * cycle (type-only imports aside: they vanish from the output).
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const SRC = path.resolve(import.meta.dirname, "../src");

/** Every .ts file under src/, relative to it, with its runtime and type-only relative imports. */
function sourceGraph(): Map<string, { runtime: string[]; all: string[] }> {
  const graph = new Map<string, { runtime: string[]; all: string[] }>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith(".ts")) {
        const code = readFileSync(full, "utf8");
        const runtime: string[] = [];
        const all: string[] = [];
        for (const match of code.matchAll(/^(import|export)\s+(type\s+)?[^;]*?from\s+"(\.[^"]+)"/gms)) {
          const target = path.relative(SRC, path.resolve(path.dirname(full), match[3]!)).replace(/\.js$/, ".ts");
          all.push(target);
          if (!match[2]) runtime.push(target);
        }
        graph.set(path.relative(SRC, full), { runtime, all });
      }
    }
  };
  walk(SRC);
  return graph;
}

const layerOf = (file: string) => (file.includes("/") ? file.split("/")[0]! : file.replace(/\.ts$/, ""));

/** Modules every layer may import: they import nothing of ours but each other. */
const LEAVES = ["errors", "version", "untrusted-text"];

/** What each folder may import (besides itself and the leaf modules). */
const ALLOWED: Record<string, string[]> = {
  site: [],
  store: ["site"],
  client: ["site", "store"],
  project: ["client", "site", "store"],
  "asset-page": ["project", "client", "site", "store"],
  plugin: ["asset-page", "project", "client", "site", "store"],
  cli: ["project", "client", "site", "store"],
};

describe("architecture", () => {
  const graph = sourceGraph();

  it("finds the source tree", () => {
    expect(graph.size).toBeGreaterThan(40);
    for (const layer of Object.keys(ALLOWED).filter((name) => name !== "client")) {
      expect([...graph.keys()].some((f) => f.startsWith(`${layer}/`)), layer).toBe(true);
    }
  });

  it.each(Object.keys(ALLOWED))("%s/ imports only the layers below it", (layer) => {
    const wrong: string[] = [];
    for (const [file, { all }] of graph) {
      if (layerOf(file) !== layer) continue;
      for (const target of all) {
        const to = layerOf(target);
        if (to !== layer && !LEAVES.includes(to) && !ALLOWED[layer]!.includes(to)) wrong.push(`${file} -> ${target}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("keeps the leaf modules leaves", () => {
    const wrong = [...graph].flatMap(([file, { all }]) => (LEAVES.includes(layerOf(file)) ? all.filter((t) => !LEAVES.includes(layerOf(t))).map((t) => `${file} -> ${t}`) : []));
    expect(wrong).toEqual([]);
  });

  it("has no runtime import cycle", () => {
    const cycles: string[] = [];
    const state = new Map<string, "open" | "done">();
    const stack: string[] = [];
    const visit = (file: string) => {
      if (state.get(file) === "done") return;
      if (state.get(file) === "open") {
        cycles.push([...stack.slice(stack.indexOf(file)), file].join(" -> "));
        return;
      }
      state.set(file, "open");
      stack.push(file);
      for (const next of graph.get(file)?.runtime ?? []) visit(next);
      stack.pop();
      state.set(file, "done");
    };
    for (const file of graph.keys()) visit(file);
    expect(cycles).toEqual([]);
  });
});
