/** The fenced code blocks of README.md, so tests try the very text a user copies. */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export interface Snippet {
  /** The fence's info string (`ts`, `sh`, `jsonc`, …), "" when none. */
  lang: string;
  code: string;
  /** 1-based line of the opening fence in README.md. */
  line: number;
}

const README = fileURLToPath(new URL("../../README.md", import.meta.url));

export function readmeSnippets(): Snippet[] {
  const lines = readFileSync(README, "utf8").split("\n");
  const out: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && lines[i] !== "```"; i++) body.push(lines[i]!);
    out.push({ lang: open[1]!, code: body.join("\n") + "\n", line: start + 1 });
  }
  return out;
}

/** The one snippet whose first line is `firstLine` (such as `// vite.config.ts`). */
export function readmeSnippet(firstLine: string): Snippet {
  const found = readmeSnippets().filter((s) => s.code.split("\n")[0] === firstLine);
  if (found.length !== 1) throw new Error(`README.md has ${found.length} snippets starting with ${JSON.stringify(firstLine)}`);
  return found[0]!;
}
