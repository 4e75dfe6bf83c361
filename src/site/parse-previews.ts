/**
 * Reads the preview field (`.field-name-field-art-preview`) of an asset page.
 *
 * The site shows an image as a lightbox link to the full image around its thumbnail: one
 * preview, not two. Music and sound get no `<audio>` element but a play button whose
 * `data-ogg-url` / `data-mp3-url` name the preview's audio, beside a waveform picture.
 */
import { attr, closest, selector, type HtmlElement, type HtmlNode } from "./dom.js";
import type { LinkReader } from "./parse-people.js";
import type { Preview } from "./types.js";

const $ = {
  field: selector(".field-name-field-art-preview"),
  items: selector(".field-item"),
  playButtons: selector("[data-ogg-url], [data-mp3-url]"),
  audioElements: selector("audio"),
  audioSources: selector("source[src]"),
  imageLinks: selector("a[href]"),
  images: selector("img[src]"),
};

const IMAGE_PATH = /\.(png|jpe?g|gif|webp|bmp|svg)$/i;
const OGG_PATH = /\.(ogg|oga|opus)$/i;

function hasClass(element: HtmlElement, name: string): boolean {
  return (attr(element, "class") ?? "").split(/\s+/).includes(name);
}

function isAudioContainer(element: HtmlElement): boolean {
  return hasClass(element, "audio-preview-container") || hasClass(element, "audio-preview");
}

/** The previews of one field item (or of the whole field when it has no items). */
function itemPreviews(item: HtmlElement, readLink: LinkReader): Preview[] {
  const previews: Preview[] = [];
  const used = new Set<HtmlElement>();
  const href = (value: string | null): string | null => readLink(value)?.href ?? null;

  for (const button of $.playButtons.all(item)) {
    const oggUrl = href(attr(button, "data-ogg-url"));
    const mp3Url = href(attr(button, "data-mp3-url"));
    const url = oggUrl ?? mp3Url;
    if (!url) continue;
    const container = closest(button, isAudioContainer) ?? item;
    const waveform = $.images.all(container).find((img) => !used.has(img)) ?? null;
    if (waveform) used.add(waveform);
    previews.push({ kind: "audio", url, oggUrl, mp3Url, thumbnailUrl: waveform ? href(attr(waveform, "src")) : null });
  }

  // Not what the site prints today, but a plain player is unmistakable where a theme uses one.
  for (const audio of $.audioElements.all(item)) {
    const sources = [attr(audio, "src"), ...$.audioSources.all(audio).map((source) => attr(source, "src"))];
    const urls = sources.map(href).filter((url): url is string => url !== null);
    if (urls.length === 0) continue;
    const oggUrl = urls.find((url) => OGG_PATH.test(new URL(url).pathname)) ?? null;
    const mp3Url = urls.find((url) => /\.mp3$/i.test(new URL(url).pathname)) ?? null;
    previews.push({ kind: "audio", url: oggUrl ?? mp3Url ?? urls[0]!, oggUrl, mp3Url, thumbnailUrl: null });
  }

  for (const link of $.imageLinks.all(item)) {
    const thumbnail = $.images.all(link).find((img) => !used.has(img));
    const url = readLink(attr(link, "href"));
    // The lightbox link is the full image; another link counts only when it plainly names an image.
    if (!thumbnail || !url || !(hasClass(link, "preview-lightbox") || IMAGE_PATH.test(url.pathname))) continue;
    used.add(thumbnail);
    previews.push({ kind: "image", url: url.href, thumbnailUrl: href(attr(thumbnail, "src")) });
  }

  for (const image of $.images.all(item)) {
    // A waveform belongs to its player, never a picture of the asset.
    if (used.has(image) || hasClass(image, "audio-image") || closest(image, isAudioContainer)) continue;
    const url = href(attr(image, "src"));
    if (url) previews.push({ kind: "image", url, thumbnailUrl: null });
  }
  return previews;
}

/** Every preview of the page, in page order, each URL once. */
export function readPreviews(root: HtmlNode, readLink: LinkReader): Preview[] {
  const field = $.field.one(root);
  if (!field) return [];
  const items = $.items.all(field);
  const previews: Preview[] = [];
  for (const item of items.length > 0 ? items : [field]) {
    for (const preview of itemPreviews(item, readLink)) {
      if (!previews.some((seen) => seen.url === preview.url)) previews.push(preview);
    }
  }
  return previews;
}
