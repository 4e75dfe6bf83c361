/**
 * The globs of `oga:<id>/<glob>`, matched in time linear in the name.
 *
 * Names come from pages and zips, so an uploader picks them: a 12 KB name against `*_*_*.png`
 * made a backtracking matcher (picomatch compiles to a JavaScript RegExp) run for minutes. Here a
 * pattern compiles to a small automaton whose states are positions in the pattern, and a name is
 * read once, left to right, carrying the set of states it can be in (Thompson's construction):
 * O(name length × pattern length), whatever the name holds.
 *
 * Grammar (the README's): `*` is any run of characters within a path segment, `**` as a whole
 * segment is any number of segments (none included; at the end, everything below the folder
 * before it), `{a,b}` are alternatives (nested, empty allowed, `/` allowed). Everything else is literal: `?`, `[`, `(`, `!`, `+`, `@`, a `{` without a
 * top-level `,` or without its `}`. `*` also matches leading dots and any character but `/`,
 * newlines and U+2028 included.
 */
import { OgaError } from "../errors.js";

/** Most alternatives a pattern's `{…}` groups may expand to: each costs a pass over the name. */
export const MAX_GLOB_ALTERNATIVES = 256;

/** A compiled glob. */
export interface Glob {
  readonly pattern: string;
  /** Whether `name` (a `/`-separated path inside an asset) matches. */
  matches(name: string): boolean;
  /** Whether some path strictly below the folder `prefix` could match (so a zip there is worth opening). */
  canMatchBelow(prefix: string): boolean;
}

/** One literal UTF-16 unit, `*` (within a segment), a `**` segment (whole segments, each with its `/`), or anything (a last `**`). */
type Token = { kind: "literal"; unit: number } | { kind: "star" } | { kind: "segments" } | { kind: "any" };

const SLASH = 0x2f;

/**
 * Compiles `pattern`.
 * @throws OgaError `OGA_BAD_INPUT` when its `{…}` groups expand to more than {@link MAX_GLOB_ALTERNATIVES} patterns.
 */
export function compileGlob(pattern: string): Glob {
  const automata = expandBraces(pattern).map((alternative) => new Automaton(tokenize(alternative)));
  return {
    pattern,
    matches: (name) => automata.some((a) => a.accepts(name)),
    canMatchBelow: (prefix) => automata.some((a) => a.survives(`${prefix}/`)),
  };
}

/** The brace-free patterns `pattern` stands for, without duplicates. */
export function expandBraces(pattern: string): string[] {
  const out = new Set<string>();
  for (const alternative of expandFrom(pattern, 0, pattern.length)) out.add(alternative);
  return [...out];

  function expandFrom(text: string, start: number, end: number): string[] {
    let results = [""];
    let i = start;
    while (i < end) {
      const group = text[i] === "{" ? braceGroup(text, i, end) : undefined;
      if (!group) {
        const next = nextBrace(text, i + 1, end);
        const literal = text.slice(i, next);
        results = results.map((r) => r + literal);
        i = next;
        continue;
      }
      const options = group.commas.length === 0 ? [] : splitAt(group.open + 1, group.close, group.commas).flatMap(([a, b]) => expandFrom(text, a, b));
      const combined: string[] = [];
      for (const r of results) for (const option of options) combined.push(r + option);
      if (combined.length > MAX_GLOB_ALTERNATIVES) {
        throw new OgaError("OGA_BAD_INPUT", `The glob "${pattern}" expands to more than ${MAX_GLOB_ALTERNATIVES} alternatives; use fewer {…} groups.`);
      }
      results = combined;
      i = group.close + 1;
    }
    return results;
  }
}

function nextBrace(text: string, from: number, end: number): number {
  const at = text.indexOf("{", from);
  return at === -1 || at > end ? end : at;
}

function splitAt(start: number, end: number, commas: readonly number[]): [number, number][] {
  const bounds = [start - 1, ...commas, end];
  return bounds.slice(1).map((b, k) => [bounds[k]! + 1, b]);
}

/**
 * The `{…}` group opening at `open`: its closing brace and top-level commas. A group needs both a
 * `}` and a top-level `,`; a `{` without them is literal (like `{1}` in a real file name).
 */
function braceGroup(text: string, open: number, end: number): { open: number; close: number; commas: number[] } | undefined {
  let depth = 0;
  const commas: number[] = [];
  for (let i = open; i < end; i++) {
    const ch = text[i];
    if (ch === "{") depth++;
    else if (ch === "}") {
      depth--;
      if (depth === 0) return commas.length > 0 ? { open, close: i, commas } : undefined;
    } else if (ch === "," && depth === 1) commas.push(i);
  }
  return undefined;
}

/** The tokens of a brace-free pattern. */
function tokenize(pattern: string): Token[] {
  const segments = pattern.split("/");
  const tokens: Token[] = [];
  segments.forEach((segment, i) => {
    const last = i === segments.length - 1;
    if (segment === "**") {
      // A middle `**` carries the `/` after it, so `**/b` matches `b`; `a/**/**/b` is `a/**/b`.
      const merged = tokens.at(-1)?.kind === "segments";
      if (last) tokens.splice(merged ? -1 : tokens.length, 1, { kind: "any" });
      else if (!merged) tokens.push({ kind: "segments" });
      return;
    }
    let previousStar = false;
    for (let k = 0; k < segment.length; k++) {
      const unit = segment.charCodeAt(k);
      if (unit === 0x2a) {
        // `**` inside a segment is a `*`.
        if (!previousStar) tokens.push({ kind: "star" });
        previousStar = true;
      } else {
        tokens.push({ kind: "literal", unit });
        previousStar = false;
      }
    }
    if (!last) tokens.push({ kind: "literal", unit: SLASH });
  });
  return tokens;
}

/**
 * A nondeterministic automaton over UTF-16 units. State `2i` is "before token i", `2i + 1` is
 * "within a segment that token i (a `**` segment) skips", and `2n` accepts. Running it keeps a
 * set of at most `2n + 1` states per unit read.
 */
class Automaton {
  private readonly accept: number;
  private readonly seen: Uint32Array;
  private generation = 0;

  constructor(private readonly tokens: readonly Token[]) {
    this.accept = tokens.length * 2;
    this.seen = new Uint32Array(this.accept + 1);
  }

  accepts(name: string): boolean {
    return this.run(name).includes(this.accept);
  }

  /** Whether any state other than "accepted" is alive after `text`: a longer name could still match. */
  survives(text: string): boolean {
    return this.run(text).some((state) => state !== this.accept);
  }

  private run(text: string): number[] {
    let current = this.closure([0]);
    for (let i = 0; i < text.length && current.length > 0; i++) {
      const unit = text.charCodeAt(i);
      const next: number[] = [];
      for (const state of current) this.step(state, unit, next);
      current = this.closure(next);
    }
    return current;
  }

  /** The states reachable from `state` by reading `unit`. */
  private step(state: number, unit: number, into: number[]): void {
    const token = this.tokens[state >> 1];
    if (!token) return;
    switch (token.kind) {
      case "literal":
        if (unit === token.unit) into.push(state + 2);
        return;
      case "star":
        if (unit !== SLASH) into.push(state);
        return;
      case "any":
        into.push(state);
        return;
      case "segments":
        into.push(unit === SLASH ? state & ~1 : state | 1);
        return;
    }
  }

  /** `states` plus everything reachable without reading (skipping `*`, `**`), deduplicated. */
  private closure(states: readonly number[]): number[] {
    const stamp = ++this.generation;
    const out: number[] = [];
    const stack = [...states];
    while (stack.length > 0) {
      const state = stack.pop()!;
      if (this.seen[state] === stamp) continue;
      this.seen[state] = stamp;
      out.push(state);
      const token = this.tokens[state >> 1];
      // Inside a skipped segment the only way on is its closing `/`.
      if (token && token.kind !== "literal" && (state & 1) === 0) stack.push(state + 2);
    }
    return out;
  }
}
