/**
 * Small DOM helpers shared by the page parsers: parsing, attribute access, text extraction.
 *
 * `domhandler` (the node classes) is only a transitive dependency, so its types are derived
 * from the `domutils` and `htmlparser2` signatures rather than imported by name.
 */
import { ElementType, parseDocument } from "htmlparser2";
import { getAttributeValue, getChildren, textContent } from "domutils";
import { compile, selectAll, selectOne } from "css-select";

export type HtmlDocument = ReturnType<typeof parseDocument>;
export type HtmlElement = Parameters<typeof getAttributeValue>[0];
export type HtmlNode = Parameters<typeof getChildren>[0];
export type HtmlText = Extract<HtmlNode, { type: ElementType.ElementType.Text }>;
type Query = ReturnType<typeof compile<HtmlNode, HtmlElement>>;

/** The node is an element (including `script` and `style`). */
export function isTag(node: HtmlNode): node is HtmlElement {
  return ElementType.isTag(node);
}

/** The node is a text node. */
export function isText(node: HtmlNode): node is HtmlText {
  return node.type === ElementType.Text;
}

/** Parses a page with the options both parsers rely on (entities decoded, lower-case names). */
export function parseHtml(html: string): HtmlDocument {
  return parseDocument(html, { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true });
}

/**
 * Compiles a selector once (at module load, by the callers) and returns `all`/`one` helpers.
 * Compiling up front also makes a typo in a selector fail at import time, not on the first page.
 */
export function selector(source: string): { all(root: HtmlNode | HtmlNode[]): HtmlElement[]; one(root: HtmlNode | HtmlNode[]): HtmlElement | null } {
  const query: Query = compile<HtmlNode, HtmlElement>(source);
  return {
    all: (root) => selectAll<HtmlNode, HtmlElement>(query, root),
    one: (root) => selectOne<HtmlNode, HtmlElement>(query, root),
  };
}

/** The nearest ancestor of `element` (itself excluded) that `matches`, stopping before `within`; or `null`. */
export function closest(element: HtmlElement, matches: (candidate: HtmlElement) => boolean, within?: HtmlNode): HtmlElement | null {
  for (let node = element.parent as HtmlNode | null; node && node !== within; node = node.parent as HtmlNode | null) {
    if (isTag(node) && matches(node)) return node;
  }
  return null;
}

/** Attribute value or `null`. */
export function attr(element: HtmlElement, name: string): string | null {
  return getAttributeValue(element, name) ?? null;
}

/** Inline text: every run of whitespace (including `&nbsp;`) becomes one space, trimmed. */
export function inlineText(node: HtmlNode | HtmlNode[]): string {
  return textContent(node).replace(/[\s\u00a0]+/g, " ").trim();
}

const BLOCK_TAGS = new Set([
  "address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "figcaption", "figure", "footer",
  "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "ol", "p", "pre", "section", "table", "tr", "ul",
]);

/**
 * Readable plain text of rich HTML (descriptions, attribution notes): paragraphs and `<br>`
 * become line breaks so credit lines stay on their own lines, other whitespace collapses.
 */
export function blockText(node: HtmlNode | HtmlNode[]): string {
  const parts: string[] = [];
  const walk = (current: HtmlNode): void => {
    if (isText(current)) {
      parts.push(current.data);
      return;
    }
    if (!isTag(current)) return;
    if (current.name === "script" || current.name === "style") return;
    if (current.name === "br") {
      parts.push("\n");
      return;
    }
    const block = BLOCK_TAGS.has(current.name);
    if (block) parts.push("\n");
    for (const child of getChildren(current)) walk(child);
    if (block) parts.push("\n");
  };
  for (const root of Array.isArray(node) ? node : [node]) walk(root);
  return parts
    .join("")
    .split("\n")
    .map((line) => line.replace(/[ \t\r\f\v\u00a0]+/g, " ").trim())
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}
