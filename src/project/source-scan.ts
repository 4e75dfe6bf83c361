/**
 * A small lexical scan of JS/TS or CSS source that finds where its comments and string literals
 * are, so the regexes that look for `oga:` references (the plugin's transform in
 * `url-references.ts`, `oga prefetch` in `find-specifiers.ts`) can skip what is commented out.
 * Not a parser: it runs on source as written (before TypeScript or a preprocessor) and is
 * deliberately forgiving (a lone quote, say in a regex literal, costs one line at most).
 */

/** `[start, end)` offsets into the scanned code. */
export type Range = [number, number];

export interface SourceRanges {
  /** `//` (JS only) and `/* *\/` comments. */
  comments: Range[];
  /** Terminated string literals, quotes included (`"…"`, `'…'`, and in JS `` `…` ``). */
  strings: Range[];
}

/**
 * Comments and strings of `code`: JS/TS when `lineComments` (`//`, `/* *\/`, three quote kinds),
 * CSS otherwise (`/* *\/` only, `"` and `'`). A template literal counts as one string, `${…}`
 * included; a `"` or `'` string ends at a line break if its quote is missing.
 */
export function scanSource(code: string, lineComments: boolean): SourceRanges {
  const comments: Range[] = [];
  const strings: Range[] = [];
  for (let i = 0; i < code.length; i++) {
    const ch = code[i];
    if (ch === '"' || ch === "'" || (lineComments && ch === "`")) {
      // Strings end at their quote; a lone quote (say in a regex literal) costs one line at most,
      // except a template literal, which may span lines.
      const start = i;
      for (i++; i < code.length && code[i] !== ch; i++) {
        if (code[i] === "\\") i++;
        else if (ch !== "`" && code[i] === "\n") break;
      }
      if (code[i] === ch) strings.push([start, i + 1]);
    } else if (ch === "/" && code[i + 1] === "*") {
      const end = code.indexOf("*/", i + 2);
      const stop = end === -1 ? code.length : end + 2;
      comments.push([i, stop]);
      i = stop - 1;
    } else if (lineComments && ch === "/" && code[i + 1] === "/") {
      const end = code.indexOf("\n", i);
      const stop = end === -1 ? code.length : end;
      comments.push([i, stop]);
      i = stop;
    }
  }
  return { comments, strings };
}

/** Whether `offset` falls inside one of `ranges`. */
export function inRanges(ranges: readonly Range[], offset: number): boolean {
  return ranges.some(([start, end]) => offset >= start && offset < end);
}
