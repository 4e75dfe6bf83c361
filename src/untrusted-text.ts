/**
 * Page text on its way to a terminal, a log or a document. Titles, names, file names and zip
 * entry names are written by uploaders, and a terminal obeys what it is sent: ESC and CSI
 * sequences clear the screen or recolour it, OSC sequences retitle the window or write the
 * clipboard, BEL rings, a bare CR overwrites the line, and bidi overrides make a name read as
 * another. So nothing from a page reaches a terminal raw: the CLI, the plugin's log lines and
 * every `OgaError` message escape these characters, and credits drop them.
 */

/**
 * C0 controls, DEL and C1 controls (C1 CSI and OSC act like ESC sequences in many terminals), the
 * Unicode line and paragraph separators, and the bidi marks, embeddings, overrides and isolates.
 */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Controls that stand for white space: a document gets a space (or a line break) instead. */
const SPACING = /[\t\n\v\f\r\u0085\u2028\u2029]/;

/**
 * `text` with every control character written as a visible `\uXXXX` escape. The form is JSON's,
 * so a line of JSON stays valid JSON with the same value. Characters in `keep` pass (the CLI keeps
 * the tabs between its columns).
 */
export function escapeControls(text: string, keep = ""): string {
  return text.replace(CONTROL, (ch) => (keep.includes(ch) ? ch : `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`));
}

const ANY_CONTROL = new RegExp(CONTROL.source);

/** Whether `text` holds a character {@link escapeControls} would escape. */
export function hasControls(text: string): boolean {
  return ANY_CONTROL.test(text);
}

/**
 * `text` for a document read by people (credits): line breaks and tabs become spaces, every
 * other control character is dropped.
 */
export function stripControls(text: string): string {
  return text.replace(CONTROL, (ch) => (SPACING.test(ch) ? " " : ""));
}

/** Like {@link stripControls}, but line breaks (CR LF, CR, U+2028, U+2029, NEL) stay, as `\n`. */
export function stripControlsKeepingLines(text: string): string {
  return text
    .split(/\r\n|[\n\r\u0085\u2028\u2029]/)
    .map(stripControls)
    .join("\n");
}
