/**
 * Paths `oga download --out` writes within one run, kept distinct. Names from the site are made
 * safe segment by segment (safeFileName), and two different names can become the same file:
 * `sound:1.wav` and `sound?1.wav` are both `sound_1.wav`, two long names share their first 200
 * bytes, and `Jump.wav` and `jump.wav` are one file on macOS and Windows. The second such file
 * gets a numbered name (`sound_1 (2).wav`) instead of silently replacing the first, and the
 * caller says so.
 */
import path from "node:path";

export class OutputNames {
  /** Claimed paths, case-folded: the output folder may be on a case-insensitive file system. */
  readonly #taken = new Set<string>();

  /**
   * `wanted` if no earlier claim of this run took it (compared without case), else the first
   * free `<stem> (N)<ext>` beside it.
   */
  claim(wanted: string): string {
    let candidate = wanted;
    const ext = path.extname(wanted);
    const stem = wanted.slice(0, wanted.length - ext.length);
    for (let n = 2; this.#taken.has(candidate.toLowerCase()); n++) candidate = `${stem} (${n})${ext}`;
    this.#taken.add(candidate.toLowerCase());
    return candidate;
  }
}
