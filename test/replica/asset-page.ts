/**
 * `GET /content/<slug>`: an art node rendered by Display Suite (`ds-2col-stacked`), or a
 * collection node listing its members. Markup follows docs in /work/shared/oga-site.md.
 */
import type { Catalogue, ReplicaAsset, ReplicaFile, ReplicaUser } from "./catalogue.js";
import { ART_TYPES } from "../../src/site/vocabulary.js";
import {
  FILES_PREFIX,
  SITE_URL,
  contentPath,
  encodePath,
  escapeHtml,
  field,
  formatCount,
  formatHeadDate,
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

/**
 * The deed and icon each license links to on the live site: its own links (plain http for
 * Creative Commons, the static host's text for OGA-BY), kept apart from the client's vocabulary
 * so the two can disagree and a test can notice.
 */
const LICENSE_LINKS: Record<string, { deed: string; icon: string }> = {
  "CC0": { deed: "http://creativecommons.org/publicdomain/zero/1.0/", icon: "cc0.png" },
  "CC-BY 3.0": { deed: "http://creativecommons.org/licenses/by/3.0/", icon: "cc-by.png" },
  "CC-BY 4.0": { deed: "http://creativecommons.org/licenses/by/4.0/", icon: "cc-by.png" },
  "CC-BY-SA 3.0": { deed: "http://creativecommons.org/licenses/by-sa/3.0/", icon: "cc-by-sa.png" },
  "CC-BY-SA 4.0": { deed: "http://creativecommons.org/licenses/by-sa/4.0/", icon: "cc-by-sa.png" },
  "OGA-BY 3.0": { deed: "https://static.opengameart.org/OGA-BY-3.0.txt", icon: "oga-by.png" },
  "OGA-BY 4.0": { deed: "https://static.opengameart.org/OGA-BY-4.0.txt", icon: "oga-by.png" },
  "GPL 2.0": { deed: "http://www.gnu.org/licenses/old-licenses/gpl-2.0.html", icon: "gpl.png" },
  "GPL 3.0": { deed: "http://www.gnu.org/licenses/gpl-3.0.html", icon: "gpl.png" },
  "LGPL 2.1": { deed: "http://www.gnu.org/licenses/old-licenses/lgpl-2.1.html", icon: "lgpl.png" },
  "LGPL 3.0": { deed: "http://www.gnu.org/licenses/lgpl-3.0.html", icon: "lgpl.png" },
};

/** The deed the replica's page links for a license (`null` for a name the site does not have). */
export function deedOf(name: string): string | null {
  return Object.hasOwn(LICENSE_LINKS, name) ? LICENSE_LINKS[name]!.deed : null;
}

function licenseItem(name: string): string {
  const links = Object.hasOwn(LICENSE_LINKS, name) ? LICENSE_LINKS[name]! : { deed: `${SITE_URL}/content/faq#q-proprietary`, icon: "unknown.png" };
  return `<div class='license-icon'><a href='${escapeHtml(links.deed)}' target='_blank'><img src='${SITE_URL}/sites/default/files/license_images/${links.icon}' alt='' title=''><div class='license-name'>${escapeHtml(name)}</div></a></div>`;
}

function termLink(href: string, name: string): string {
  return `<a href="${escapeHtml(href)}" typeof="skos:Concept" property="rdfs:label skos:prefLabel" datatype="">${escapeHtml(name)}</a>`;
}

/** A file's link: absolute on the live site's own host, whichever origin serves the page. */
export function fileHref(asset: ReplicaAsset, file: ReplicaFile): string {
  const path = FILES_PREFIX + encodePath(file.path);
  if (file.host !== null) return file.host + path;
  return asset.fileHrefs === "relative" ? path : SITE_URL + path;
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

function fileItem(asset: ReplicaAsset, file: ReplicaFile): string {
  const title = file.describedAs === null ? "" : ` title="${escapeHtml(file.path.slice(file.path.lastIndexOf("/") + 1))}"`;
  const link = `<a href="${escapeHtml(fileHref(asset, file))}" type="${escapeHtml(file.mime)}; length=${file.size}" data-fid="${file.fid}" target="_blank" download="${escapeHtml(file.label)}"${title}>${escapeHtml(file.describedAs ?? file.label)}</a>`;
  const count = `<span class="dlcount"><span class="dlcount-number">[${formatCount(file.downloads)} download(s)]</span></span>`;
  return `<span class="file">${fileIcon(file.mime)} ${link}</span> ${humanSize(file.size)} ${count}`;
}

const AUDIO = /\.(mp3|ogg|wav|flac)$/i;

/**
 * A preview as the site prints it. Audio gets no `<audio>` element but a play button: the
 * transcoded Ogg preview under `audio_preview/` and the MP3 (the upload itself when it is one),
 * beside a waveform picture. An image is a lightbox link to the full image around its thumbnail.
 */
function previewItem(path: string): string {
  const url = SITE_URL + FILES_PREFIX + encodePath(path);
  if (AUDIO.test(path)) {
    const ogg = `${SITE_URL}${FILES_PREFIX}audio_preview/${encodePath(path)}.ogg`;
    const mp3 = /\.mp3$/i.test(path) ? url : `${SITE_URL}${FILES_PREFIX}audio_preview/${encodePath(path)}.mp3`;
    const waveform = `${SITE_URL}${FILES_PREFIX}styles/medium/public/audio_preview/${encodePath(path)}.png?itok=W4vF0rm1`;
    return `<div class='art_preview_multiple audio-preview'><div class='audio-preview-container'><img class='audio-image' src='${escapeHtml(waveform)}'><div class='play-button' data-ogg-url='${escapeHtml(ogg)}' data-mp3-url='${escapeHtml(mp3)}'></div></div></div>`;
  }
  // Thumbnails are image-style derivatives, not asset files.
  const thumb = `${SITE_URL}${FILES_PREFIX}styles/medium/public/${encodePath(path)}?itok=Zx9aQ1Rb`;
  return `<a href="${escapeHtml(url)}" class="preview-lightbox" rel="lightbox"><img typeof="foaf:Image" src='${escapeHtml(thumb)}' alt="Preview" title="" /></a>`;
}

/** The notice the site prints instead of the files field, in its module's own spelling. */
const FILES_WITHHELD =
  '<div class="field-label">File(s):&nbsp;</div><div style="padding-left: 20px; font-style: italic;">File(s) currently unavalable due to potential licensing issues. We are working to resolve this as quickly as possible.</div>';

function collaboratorLink(user: ReplicaUser): string {
  const path = `/users/${rawurlencode(user.slug)}`;
  return `<a href="${path}" title="View user profile." class="username" xml:lang="" about="${path}" typeof="sioc:UserAccount" property="foaf:name" datatype="">${escapeHtml(user.name)}</a>`;
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

function artContent(catalogue: Catalogue, asset: ReplicaAsset): string {
  const typeInfo = ART_TYPES.find((t) => t.name === asset.type);
  const collections = catalogue.collectionsOf(asset.slug);
  const left = [
    field("author-submitter", [authorItem(asset)], { type: "ds", label: "Author" }),
    field("post-date", [formatPostDate(asset.postedAt)], { type: "ds", label: "Date" }),
    asset.collaborators.length
      ? field("field-collaborators", asset.collaborators.map(collaboratorLink), { type: "user-reference", label: "Collaborators" })
      : "",
    asset.patreon
      ? field("field-patreon-link", [`<a href="${escapeHtml(asset.patreon)}" rel="nofollow" target="_blank">${escapeHtml(asset.patreon)}</a>`], {
          type: "link-field",
          label: "Patreon",
          inline: true,
        })
      : "",
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
      ? field("field-art-preview", asset.previews.map(previewItem), { type: "file", label: "Preview" })
      : "",
    field("body", [asset.description], { type: "text-with-summary", itemAttributes: 'property="content:encoded"' }),
    asset.attribution !== null
      ? field("field-art-attribution", [asset.attribution], { type: "text-long", label: "Attribution Instructions" })
      : "",
    asset.copyrightNotice !== null
      ? field("field-copyright-notice", [asset.copyrightNotice], { type: "text-long", label: "Copyright/Attribution Notice" })
      : "",
    asset.filesUnavailable
      ? FILES_WITHHELD
      : field("field-art-files", asset.files.map((f) => fileItem(asset, f)), { type: "file", label: "File(s)" }),
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
export function renderAssetPage(catalogue: Catalogue, asset: ReplicaAsset, page: number, requestPath: string): string {
  const content = asset.kind === "collection" ? collectionContent(catalogue, asset) : artContent(catalogue, asset);
  const canonical = SITE_URL + contentPath(asset.slug);
  return pageShell({
    title: asset.title,
    bodyClass: `page-node page-node- page-node-${asset.nodeId} node-type-${asset.kind}`,
    // Drupal's metatag module: canonical URLs on the live host, dates with their exact offset.
    head: `  <link rel="canonical" href="${escapeHtml(canonical)}" />
  <link rel="shortlink" href="${SITE_URL}/node/${asset.nodeId}" />
  <meta property="og:site_name" content="OpenGameArt.org" />
  <meta property="og:type" content="article" />
  <meta property="og:url" content="${escapeHtml(canonical)}" />
  <meta property="og:title" content="${escapeHtml(asset.title)}" />
  <meta property="og:updated_time" content="${formatHeadDate(asset.updatedAt)}" />
  <meta property="article:published_time" content="${formatHeadDate(asset.postedAt)}" />
  <meta property="article:modified_time" content="${formatHeadDate(asset.updatedAt)}" />
  <meta name="dcterms.date" content="${formatHeadDate(asset.postedAt, "minutes")}" />`,
    content: content + comments(asset, page, requestPath),
  });
}
