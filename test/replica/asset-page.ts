/**
 * `GET /content/<slug>`: an art node rendered by Display Suite (`ds-2col-stacked`), or a
 * collection node listing its members. Markup follows docs in /work/shared/oga-site.md.
 */
import type { Catalogue, ReplicaAsset, ReplicaFile } from "./catalogue.js";
import { ART_TYPES, LICENSES } from "../../src/site/vocabulary.js";
import {
  FILES_PREFIX,
  contentPath,
  encodePath,
  escapeHtml,
  field,
  formatCount,
  formatPostDate,
  humanSize,
  pageShell,
  rawurlencode,
} from "./html.js";
import { renderPager } from "./pager.js";

export const COMMENTS_PER_PAGE = 50;

function userLink(user: { name: string; slug: string }): string {
  return `<a href="/users/${rawurlencode(user.slug)}">${escapeHtml(user.name)}</a>`;
}

/** The three shapes of the author field; attributes in single quotes, as the site prints them. */
function authorItem(asset: ReplicaAsset): string {
  const author = asset.author;
  if (author.kind === "submitter") return `<span class='username'>${userLink(asset.submitter)}</span>`;
  const credited =
    author.kind === "link"
      ? `<a href='${escapeHtml(author.url)}' target='_blank'>${escapeHtml(author.name)}</a>`
      : escapeHtml(author.name);
  return `<span class='username'>${credited}</span><br/>(Submitted by <strong>${userLink(asset.submitter)}</strong>)`;
}

function licenseItem(name: string): string {
  const info = LICENSES.find((l) => l.id === name);
  const deed = info?.url ?? "https://opengameart.org/content/faq#q-proprietary";
  const icon = `/sites/default/files/license_images/${(info?.slug ?? "unknown").replace(/-/g, "_")}.png`;
  return `<div class='license-icon'><a href='${escapeHtml(deed)}' target='_blank'><img src='${icon}' alt='' title=''><div class='license-name'>${escapeHtml(name)}</div></a></div>`;
}

function termLink(href: string, name: string): string {
  return `<a href="${escapeHtml(href)}" typeof="skos:Concept" property="rdfs:label skos:prefLabel" datatype="">${escapeHtml(name)}</a>`;
}

export function fileHref(origin: string, asset: ReplicaAsset, file: ReplicaFile): string {
  const path = FILES_PREFIX + encodePath(file.path);
  if (file.host !== null) return file.host + path;
  return asset.fileHrefs === "relative" ? path : origin + path;
}

function fileIcon(mime: string): string {
  const icon = mime.startsWith("audio/")
    ? "audio-x-generic"
    : mime.startsWith("image/")
      ? "image-x-generic"
      : mime === "application/zip"
        ? "package-x-generic"
        : mime.startsWith("text/")
          ? "text-plain"
          : "application-octet-stream";
  return `<img class="file-icon" alt="" title="${escapeHtml(mime)}" src="/modules/file/icons/${icon}.png" />`;
}

function fileItem(origin: string, asset: ReplicaAsset, file: ReplicaFile): string {
  const title = file.describedAs === null ? "" : ` title="${escapeHtml(file.path.slice(file.path.lastIndexOf("/") + 1))}"`;
  const link = `<a href="${escapeHtml(fileHref(origin, asset, file))}" type="${escapeHtml(file.mime)}; length=${file.size}"${title}>${escapeHtml(file.label)}</a>`;
  const count = `<span class="dlcount"><span class="dlcount-number">[${formatCount(file.downloads)} download(s)]</span></span>`;
  return `<span class="file">${fileIcon(file.mime)} ${link}</span> ${humanSize(file.size)} ${count}`;
}

function previewItem(origin: string, path: string, type: ReplicaAsset["type"]): string {
  const url = origin + FILES_PREFIX + encodePath(path);
  if (type === "Music" || /\.(mp3|ogg|wav)$/i.test(path)) {
    return `<audio controls="controls" preload="none" src="${escapeHtml(url)}"></audio>`;
  }
  // Thumbnails are image-style derivatives, not asset files.
  const thumb = `${origin}${FILES_PREFIX}styles/medium/public/${encodePath(path)}?itok=Zx9aQ1Rb`;
  return `<a href="${escapeHtml(url)}"><img typeof="foaf:Image" src="${escapeHtml(thumb)}" alt="Preview" title="" /></a>`;
}

function comments(asset: ReplicaAsset, page: number, requestPath: string): string {
  if (asset.comments === 0) return "";
  const pageCount = Math.ceil(asset.comments / COMMENTS_PER_PAGE);
  const current = Math.min(page, pageCount - 1);
  const rows: string[] = [];
  for (let n = current * COMMENTS_PER_PAGE; n < Math.min(asset.comments, (current + 1) * COMMENTS_PER_PAGE); n++) {
    rows.push(
      `<div class="comment comment-by-node-author clearfix"><div class="submitted"><span class='username'><a href="/users/commenter-${n % 7}">Commenter ${n % 7}</a></span> — ${formatPostDate(new Date(asset.postedAt.getTime() + (n + 1) * 3_600_000))}</div><div class="content"><p>Comment #${n + 1}: thanks for sharing!</p></div><ul class="links inline"><li class="comment-reply first last"><a href="/comment/reply/${asset.nodeId}/${90_000 + n}">reply</a></li></ul></div>`,
    );
  }
  return `<div id="comments" class="comment-wrapper"><h2 class="title">Comments</h2>${rows.join("\n")}${renderPager(requestPath, [], current, pageCount)}</div>`;
}

function artContent(catalogue: Catalogue, asset: ReplicaAsset, origin: string): string {
  const typeInfo = ART_TYPES.find((t) => t.name === asset.type);
  const collections = catalogue.collectionsOf(asset.slug);
  const left = [
    field("author-submitter", [authorItem(asset)], { type: "ds", label: "Author" }),
    field("post-date", [formatPostDate(asset.postedAt)], { type: "ds", label: "Date" }),
    asset.type && typeInfo
      ? field("field-art-type", [termLink(`/art-search-advanced?field_art_type_tid%5B%5D=${typeInfo.termId}`, asset.type)], {
          type: "taxonomy-term-reference",
          label: "Art Type",
        })
      : "",
    asset.tags.length
      ? field(
          "field-art-tags",
          asset.tags.map((t) => termLink(`/art-search-advanced?field_art_tags_tid=${rawurlencode(t)}`, t)),
          { type: "taxonomy-term-reference", label: "Tags" },
        )
      : "",
    field("field-art-licenses", asset.licenses.map(licenseItem), { type: "taxonomy-term-reference", label: "License(s)" }),
    field(
      "collect",
      [
        `<div class="collect-container">${collections.map((c) => `<a href="${contentPath(c.slug)}">${escapeHtml(c.title)}</a>`).join("<br />")}</div>`,
      ],
      { type: "ds", label: "Collections" },
    ),
    field("favorites", [String(asset.favorites)], { type: "ds", label: "Favorites", inline: true }),
  ];
  const right = [
    asset.previews.length
      ? field("field-art-preview", asset.previews.map((p) => previewItem(origin, p, asset.type)), { type: "file", label: "Preview" })
      : "",
    field("body", [asset.description], { type: "text-with-summary", itemAttributes: 'property="content:encoded"' }),
    asset.attribution !== null
      ? field("field-art-attribution", [asset.attribution], { type: "text-long", label: "Attribution Instructions" })
      : "",
    asset.copyrightNotice !== null
      ? field("field-copyright-notice", [asset.copyrightNotice], { type: "text-long", label: "Copyright/Attribution Notice" })
      : "",
    asset.filesUnavailable
      ? field("field-art-files", ["<em>File(s) currently unavailable due to potential licensing issues</em>"], { type: "file", label: "File(s)" })
      : field("field-art-files", asset.files.map((f) => fileItem(origin, asset, f)), { type: "file", label: "File(s)" }),
  ];
  return `<div class="node node-art node-promoted view-mode-full ds-2col-stacked clearfix" about="${contentPath(asset.slug)}" typeof="sioc:Item foaf:Document">
  <div class="group-header">${field("title", [`<h2>${escapeHtml(asset.title)}</h2>`], { type: "ds", itemAttributes: 'property="dc:title"' })}</div>
  <div class="group-left left-column">${left.join("\n")}</div>
  <div class="group-right right-column">${right.join("\n")}</div>
  <div class="group-footer"></div>
</div>`;
}

function collectionContent(catalogue: Catalogue, asset: ReplicaAsset): string {
  const rows = asset.members
    .map((slug) => catalogue.getAsset(slug))
    .filter((member): member is ReplicaAsset => member !== undefined)
    .map(
      (member, i) =>
        `<div class="views-row views-row-${i + 1}"><span class="art-preview-title"><a href="${contentPath(member.slug)}">${escapeHtml(member.title)}</a></span></div>`,
    );
  return `<div class="node node-collection view-mode-full ds-1col clearfix" about="${contentPath(asset.slug)}">
  ${field("title", [`<h2>${escapeHtml(asset.title)}</h2>`], { type: "ds", itemAttributes: 'property="dc:title"' })}
  ${field("author-submitter", [authorItem(asset)], { type: "ds", label: "Author" })}
  ${field("body", [asset.description], { type: "text-with-summary", itemAttributes: 'property="content:encoded"' })}
  <div class="view view-collection-contents view-display-id-collection_art"><div class="view-content">${rows.join("\n")}</div></div>
</div>`;
}

/** The whole page; `page` is the comments page, `requestPath` the path the pager links repeat. */
export function renderAssetPage(catalogue: Catalogue, asset: ReplicaAsset, origin: string, page: number, requestPath: string): string {
  const content =
    asset.kind === "collection" ? collectionContent(catalogue, asset) : artContent(catalogue, asset, origin);
  return pageShell({
    title: asset.title,
    bodyClass: `page-node page-node- page-node-${asset.nodeId} node-type-${asset.kind}`,
    head: `  <meta property="og:title" content="${escapeHtml(asset.title)}" />
  <link rel="canonical" href="${contentPath(asset.slug)}" />
  <link rel="shortlink" href="/node/${asset.nodeId}" />`,
    content: content + comments(asset, page, requestPath),
  });
}
