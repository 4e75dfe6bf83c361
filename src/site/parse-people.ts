/**
 * Reads the author/submitter field (`.field-name-author-submitter`) of an asset page.
 *
 * The field has three shapes:
 *  1. the submitter is the author: `<span class='username'><a href="/users/slug">Name</a></span>`;
 *  2. an author outside the site: `<span class='username'><a href='http://their.site/'>Author</a></span>
 *     <br/>(Submitted by <strong><a href="/users/slug">Submitter</a></strong>)`;
 *  3. like 2 with the author as plain text.
 * In shapes 2 and 3 the first `/users/` link is the submitter, not the author, so the part before
 * "(Submitted by" is read as the author and the part after it as the submitter.
 */
import { attr, inlineText, isText, selector, type HtmlElement, type HtmlNode } from "./dom.js";
import { isCanonicalSiteUrl } from "./site-url.js";
import type { Person } from "./types.js";

/** Reads a link of the page: absolute, canonical when the site's own, `null` unless http(s). */
export type LinkReader = (href: string | null) => URL | null;

const $ = {
  items: selector(".field-item"),
  username: selector(".username"),
  userLink: selector('a[href*="/users/"]'),
  link: selector("a[href]"),
};

const SUBMITTED_BY = /\(?\s*submitted\s+by\b/i;

const NOBODY: Person = { id: null, name: "", url: null };

/**
 * A person from a link: a `/users/<slug>` link on the site gives an id, any other http(s) link is
 * their own site, and anything else (`javascript:` …) leaves them without a URL.
 */
export function personFromLink(link: HtmlElement, readLink: LinkReader): Person {
  const name = inlineText(link);
  const url = readLink(attr(link, "href"));
  if (!url) return { id: null, name, url: null };
  const user = /^\/users\/([^/]+)\/?$/.exec(url.pathname);
  if (user && isCanonicalSiteUrl(url)) {
    let id = user[1]!;
    try {
      id = decodeURIComponent(id);
    } catch {
      // keep the raw slug
    }
    return { id, name, url: url.href };
  }
  return { id: null, name, url: url.href };
}

/**
 * A person from a fragment of the field: the `.username` link if there is one, else any link,
 * else the fragment's plain text (shape 3, an author with no link).
 */
function personFromNodes(nodes: HtmlNode[], readLink: LinkReader): Person {
  const username = $.username.one(nodes);
  const link = (username ? $.link.one(username) : null) ?? $.link.one(nodes);
  if (link) return personFromLink(link, readLink);
  const name = inlineText(username ?? nodes).replace(/^[\s(]+|[\s)]+$/g, "");
  return name ? { id: null, name, url: null } : NOBODY;
}

/**
 * Splits the field's children at the text node that says "(Submitted by". Text ahead of the
 * marker in the same node ("Author Name (Submitted by") is returned as `lead`.
 */
function splitAtSubmittedBy(children: HtmlNode[]): { before: HtmlNode[]; lead: string; after: HtmlNode[] } | null {
  const index = children.findIndex((node) => isText(node) && SUBMITTED_BY.test(node.data));
  if (index < 0) return null;
  const marker = children[index]!;
  const lead = isText(marker) ? (marker.data.split(SUBMITTED_BY)[0] ?? "").trim() : "";
  return { before: children.slice(0, index), lead, after: children.slice(index + 1) };
}

/**
 * Author and submitter from the author field (or empty people when the page has no such field).
 */
export function parsePeople(field: HtmlElement | null, readLink: LinkReader): { author: Person; submitter: Person } {
  if (!field) return { author: NOBODY, submitter: NOBODY };
  const item = $.items.one(field) ?? field;
  const split = splitAtSubmittedBy(item.children as HtmlNode[]);
  if (!split) {
    const person = personFromNodes(item.children as HtmlNode[], readLink);
    return { author: person, submitter: person };
  }
  const submitterLink = $.userLink.one(split.after) ?? $.link.one(split.after);
  const submitter = submitterLink ? personFromLink(submitterLink, readLink) : personFromNodes(split.after, readLink);
  const fromNodes = personFromNodes(split.before, readLink);
  const author = fromNodes.name ? fromNodes : split.lead ? { id: null, name: split.lead, url: null } : submitter;
  return { author, submitter };
}
