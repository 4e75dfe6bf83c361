/**
 * Drupal 7's theme_pager, used by search results and by comments alike: an invisible
 * "Pages" h2, then `ul.pager` with first/previous, up to 9 page links, next/last. On the first
 * page there is no first/previous, on the last page no next/last, and a single page has no
 * pager at all. Links repeat every query parameter and drop `page` for page 0.
 */
import { escapeHtml } from "./html.js";

/** A query parameter as Drupal rebuilds it (`field_art_type_tid[0]`, already URL-encoded). */
export type QueryPair = readonly [key: string, value: string];

export function pagerHref(path: string, params: readonly QueryPair[], page: number): string {
  const pairs = params.map(([k, v]) => `${k}=${v}`);
  if (page > 0) pairs.push(`page=${page}`);
  return pairs.length === 0 ? path : `${path}?${pairs.join("&")}`;
}

const QUANTITY = 9;

export function renderPager(path: string, params: readonly QueryPair[], current: number, pageCount: number): string {
  if (pageCount <= 1) return "";
  const link = (page: number, text: string, title: string): string =>
    `<a title="${title}" href="${escapeHtml(pagerHref(path, params, page))}">${text}</a>`;

  // Same window arithmetic as pager.inc, 1-based.
  const middle = Math.ceil(QUANTITY / 2);
  const currentNumber = current + 1;
  let first = currentNumber - middle + 1;
  let last = currentNumber + QUANTITY - middle;
  if (last > pageCount) {
    first += pageCount - last;
    last = pageCount;
  }
  if (first <= 0) {
    last += 1 - first;
    first = 1;
  }

  const items: Array<[className: string, inner: string]> = [];
  if (current > 0) {
    items.push(["pager-first", link(0, "« first", "Go to first page")]);
    items.push(["pager-previous", link(current - 1, "‹ previous", "Go to previous page")]);
  }
  if (first > 1) items.push(["pager-ellipsis", "…"]);
  for (let n = first; n <= last; n++) {
    items.push(n === currentNumber ? ["pager-current", String(n)] : ["pager-item", link(n - 1, String(n), `Go to page ${n}`)]);
  }
  if (last < pageCount) items.push(["pager-ellipsis", "…"]);
  if (current < pageCount - 1) {
    items.push(["pager-next", link(current + 1, "next ›", "Go to next page")]);
    items.push(["pager-last", link(pageCount - 1, "last »", "Go to last page")]);
  }
  // theme_item_list marks the first and last items, whatever they are.
  const rendered = items.map(([className, inner], i) => {
    const edge = (i === 0 ? " first" : "") + (i === items.length - 1 ? " last" : "");
    return `<li class="${className}${edge}">${inner}</li>`;
  });
  return `<h2 class="element-invisible">Pages</h2><div class="item-list"><ul class="pager">${rendered.join("\n")}</ul></div>`;
}
