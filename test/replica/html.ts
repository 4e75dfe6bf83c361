/**
 * Markup helpers shared by the page renderers: escaping, PHP-style URL encoding, the
 * Drupal 7 page shell (with its sidebar blocks) and the field wrapper Display Suite prints.
 */

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#039;" };

/** Drupal's check_plain. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/** PHP's rawurlencode: like encodeURIComponent, but `!'()*` are encoded too (the site does). */
export function rawurlencode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** A stored path (`musicpacks/Imminent Threat Collection.zip`) as it appears in a URL. */
export function encodePath(path: string): string {
  return path.split("/").map(rawurlencode).join("/");
}

export const FILES_PREFIX = "/sites/default/files/";

/** The live site: pages link files, previews and themselves absolutely on it, whoever serves them. */
export const SITE_URL = "https://opengameart.org";

export function contentPath(slug: string): string {
  return `/content/${rawurlencode(slug)}`;
}

/** The site's time zone: US Pacific, not Eastern (a saved page shows 12:43 with `-08:00` in its head). */
export const SITE_TIME_ZONE = "America/Los_Angeles";

const wallClock = new Intl.DateTimeFormat("en-US", {
  timeZone: SITE_TIME_ZONE,
  weekday: "long",
  year: "numeric",
  month: "long",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hourCycle: "h23",
  timeZoneName: "longOffset",
});

function siteClockParts(date: Date): Record<string, string> {
  return Object.fromEntries(wallClock.formatToParts(date).map((p) => [p.type, p.value]));
}

/**
 * The instant a wall-clock time in the site's zone names (month 1-based): whichever of the two
 * Pacific offsets (-7 h, -8 h) reads back as that wall clock, daylight time first.
 */
export function siteTime(year: number, month: number, day: number, hour: number, minute: number): Date {
  for (const offsetHours of [7, 8]) {
    const candidate = new Date(Date.UTC(year, month - 1, day, hour + offsetHours, minute));
    const parts = siteClockParts(candidate);
    if (Number(parts.hour) === hour && Number(parts.minute) === minute && Number(parts.day) === day) return candidate;
  }
  throw new Error(`replica: ${year}-${month}-${day} ${hour}:${minute} does not exist in ${SITE_TIME_ZONE}`);
}

/** `Friday, June 29, 2012 - 14:51`, in the site's zone. */
export function formatPostDate(date: Date): string {
  const parts = siteClockParts(date);
  return `${parts.weekday}, ${parts.month} ${parts.day}, ${parts.year} - ${parts.hour}:${parts.minute}`;
}

/** `2012-06-29T14:51:00-07:00`: the site's zone with its offset, as the head's meta tags give it. */
export function formatHeadDate(date: Date, precision: "seconds" | "minutes" = "seconds"): string {
  const parts = siteClockParts(date);
  const month = String(new Date(`${parts.month} 1, 2000`).getMonth() + 1).padStart(2, "0");
  const offset = (parts.timeZoneName ?? "GMT").replace(/^GMT/, "") || "+00:00";
  const time = precision === "seconds" ? `${parts.hour}:${parts.minute}:${parts.second}` : `${parts.hour}:${parts.minute}`;
  return `${parts.year}-${month}-${parts.day!.padStart(2, "0")}T${time}${offset}`;
}

/** The site's own size format (`3.1 Mb`, `840.5 Kb`), not Drupal's `format_size`. */
export function humanSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} Kb`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} Mb`;
  return `${(bytes / 1024 ** 3).toFixed(1)} Gb`;
}

export function formatCount(n: number): string {
  return n.toLocaleString("en-US");
}

export interface FieldOptions {
  /** Field type class (`ds`, `file`, `taxonomy-term-reference`, `text-long` …). */
  type: string;
  /** Label text, printed with Drupal's `:&nbsp;`; omitted for label-hidden fields. */
  label?: string;
  inline?: boolean;
  /** Extra attributes on each `div.field-item` (RDFa `property="…"`). */
  itemAttributes?: string;
}

/** A Drupal field: `div.field.field-name-<name>` → `div.field-label` + `div.field-items` → items. */
export function field(name: string, items: readonly string[], options: FieldOptions): string {
  const labelClass = options.label === undefined ? "hidden" : options.inline ? "inline" : "above";
  const label = options.label === undefined ? "" : `<div class="field-label">${escapeHtml(options.label)}:&nbsp;</div>`;
  const attributes = options.itemAttributes ? ` ${options.itemAttributes}` : "";
  const rendered = items
    .map((item, i) => `<div class="field-item ${i % 2 === 0 ? "even" : "odd"}"${attributes}>${item}</div>`)
    .join("");
  return `<div class="field field-name-${name} field-type-${options.type} field-label-${labelClass}">${label}<div class="field-items">${rendered}</div></div>`;
}

export interface ShellOptions {
  title: string;
  /** Classes on `body` (`page-node page-node-1227 node-type-art`). */
  bodyClass: string;
  /** Extra `<head>` markup (og:title, canonical link). */
  head?: string;
  content: string;
}

/**
 * The page around the content. The sidebar comes first in the source and its "User login"
 * block has an `h2`, which is why "the first h2 is the title" is wrong on the live site; the
 * "Recent comments" block adds `/content/` links outside any result list for the same reason.
 */
export function pageShell(options: ShellOptions): string {
  return `<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML+RDFa 1.0//EN"
  "http://www.w3.org/MarkUp/DTD/xhtml-rdfa-1.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" version="XHTML+RDFa 1.0" dir="ltr">
<head profile="http://www.w3.org/1999/xhtml/vocab">
  <meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
  <link rel="shortcut icon" href="/sites/default/files/favicon.ico" type="image/vnd.microsoft.icon" />
  <meta name="Generator" content="Drupal 7 (http://drupal.org)" />
${options.head ?? ""}
  <title>${escapeHtml(options.title)} | OpenGameArt.org</title>
  <link type="text/css" rel="stylesheet" href="/sites/all/themes/oga/style.css" media="all" />
</head>
<body class="html not-front not-logged-in one-sidebar sidebar-first ${options.bodyClass}">
  <div id="skip-link"><a href="#main-content" class="element-invisible element-focusable">Skip to main content</a></div>
  <div id="page">
    <div id="header">
      <div id="logo"><a href="/" title="Home" rel="home"><img src="/sites/all/themes/oga/opengameart2_logo.png" alt="Home" /></a></div>
      <ul id="mainmenu"><li><a href="/art-search-advanced?field_art_type_tid%5B%5D=9">2D Art</a></li><li><a href="/art-search-advanced?field_art_type_tid%5B%5D=12">Music</a></li><li><a href="/forums">Forums</a></li></ul>
    </div>
    <div id="left" class="sidebar">
      <div class="region region-sidebar-first">
        <div id="block-user-login" class="block block-user">
          <h2>User login</h2>
          <div class="content"><form action="/user/login?destination=node" method="post" id="user-login-form" accept-charset="UTF-8"><div><div class="form-item form-type-textfield form-item-name"><label for="edit-name">Username <span class="form-required" title="This field is required.">*</span></label><input type="text" id="edit-name" name="name" value="" size="15" maxlength="60" class="form-text required" /></div><div class="form-item form-type-password form-item-pass"><label for="edit-pass">Password <span class="form-required" title="This field is required.">*</span></label><input type="password" id="edit-pass" name="pass" size="15" maxlength="128" class="form-text required" /></div><input type="submit" id="edit-submit" name="op" value="Log in" class="form-submit" /></div></form></div>
        </div>
        <div id="block-comment-recent" class="block block-comment">
          <h2>Recent comments</h2>
          <div class="content"><div class="item-list"><ul><li class="first"><a href="/content/battle-theme-a#comment-90210">Love this one!</a></li><li class="last"><a href="/content/tiny-sprites#comment-90211">Used it in my jam game</a></li></ul></div></div>
        </div>
      </div>
    </div>
    <div id="maincontent">
      <a id="main-content"></a>
      <div class="region region-content">
        <div id="block-system-main" class="block block-system">
          <div class="content">
${options.content}
          </div>
        </div>
      </div>
    </div>
    <div id="footer"><p>Content is licensed under the terms chosen by each submitter.</p></div>
  </div>
</body>
</html>
`;
}
