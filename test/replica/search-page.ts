/** The `/art-search-advanced` results page: the `search_art_advanced` view display. */
import type { ReplicaAsset } from "./catalogue.js";
import type { SearchOutcome, SearchQuery } from "./search.js";
import { FILES_PREFIX, SITE_URL, contentPath, encodePath, escapeHtml, pageShell } from "./html.js";
import { renderPager } from "./pager.js";

export const SEARCH_PATH = "/art-search-advanced";

function thumbnail(asset: ReplicaAsset): string {
  const image = asset.previews.find((p) => /\.(png|jpe?g|gif)$/i.test(p));
  const src = image
    ? `${SITE_URL}${FILES_PREFIX}styles/thumbnail/public/${encodePath(image)}?itok=Qm2xP0aa`
    : `/sites/all/themes/oga/images/${asset.type === "Music" ? "music" : "no"}_preview.png`;
  return `<img typeof="foaf:Image" src="${escapeHtml(src)}" width="100" height="100" alt="" />`;
}

function row(asset: ReplicaAsset, i: number, count: number): string {
  const position = `views-row-${i + 1} views-row-${i % 2 === 0 ? "odd" : "even"}${i === 0 ? " views-row-first" : ""}${i === count - 1 ? " views-row-last" : ""}`;
  const href = contentPath(asset.slug);
  return `<div class="views-row ${position}">
  <div class="ds-1col node node-art node-teaser view-mode-art_preview clearfix">
    <div class="field field-name-field-art-preview field-type-file field-label-hidden"><div class="field-items"><div class="field-item even"><a href="${href}">${thumbnail(asset)}</a></div></div></div>
    <span class="art-preview-title"><a href="${href}">${escapeHtml(asset.title)}</a></span>
  </div>
</div>`;
}

function exposedForm(query: SearchQuery): string {
  return `<div class="view-filters"><form action="${SEARCH_PATH}" method="get" id="views-exposed-form-art-search-art-advanced" accept-charset="UTF-8"><div class="views-exposed-form"><div class="views-exposed-widgets clearfix">
<div id="edit-keys-wrapper" class="views-exposed-widget"><label for="edit-keys">Search</label><input type="text" id="edit-keys" name="keys" value="${escapeHtml(query.keys)}" size="30" maxlength="128" class="form-text" /></div>
<div id="edit-title-wrapper" class="views-exposed-widget"><label for="edit-title">Title</label><input type="text" id="edit-title" name="title" value="${escapeHtml(query.title)}" size="30" maxlength="128" class="form-text" /></div>
<div class="views-exposed-widget views-submit-button"><input type="submit" id="edit-submit-art" value="Search" class="form-submit" /></div>
</div></div></form></div>`;
}

export function renderSearchPage(query: SearchQuery, outcome: SearchOutcome): string {
  const { rows, total, page, pageCount } = outcome;
  const first = page * query.itemsPerPage + 1;
  const header = total
    ? `<div class="view-header">Displaying ${first} - ${first + rows.length - 1} of ${total}</div>`
    : "";
  const body = total
    ? `<div class="view-content">${rows.map((asset, i) => row(asset, i, rows.length)).join("\n")}</div>`
    : `<div class="view-empty"><p>Sorry, there were no results matching your search criteria.</p></div>`;
  const content = `<div class="view view-art view-id-art view-display-id-search_art_advanced view-dom-id-5f1c8a3e9b">
${header}
${exposedForm(query)}
${body}
${renderPager(SEARCH_PATH, query.pagerParams, page, pageCount)}
</div>`;
  return pageShell({ title: "Search Art", bodyClass: "page-art-search-advanced", content });
}
