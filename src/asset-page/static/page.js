// @ts-check
/**
 * The asset page's script: no framework, no build step. Every string it shows was written by an
 * uploader, so the DOM is built with `textContent`, links are set only when they are http(s),
 * and pictures and sounds come only from the dev server's own `api/media` (the CSP holds the
 * browser to that too).
 */

/** @typedef {{ name: string, url: string | null }} Person */
/** @typedef {{ name: string, url: string | null, spdx: string, shareAlike: boolean, allowed: boolean, chosen: boolean }} License */
/** @typedef {{ name: string, label: string | null, size: number | null, imported: boolean, importLine: string | null }} FileEntry */
/** @typedef {{ image: { src: string, full: string | null } | null, audio: { sources: { src: string, type: string }[], waveform: string | null } | null }} Preview */
/**
 * @typedef {{ id: string, title: string, pageUrl: string, type: string | null, author: Person, collaborators: Person[],
 *   licenses: License[], license: string | null, refused: string | null, shareAlike: boolean, credit: string | null,
 *   attribution: string, preview: Preview | null, files: FileEntry[], importLine: string, filesUnavailable: boolean,
 *   loaded: boolean, inProject: boolean, described: boolean }} AssetView
 */
/** @typedef {{ id: string, title: string, pageUrl: string, thumbnail: string | null, importLine: string }} ResultView */
/** @typedef {{ results: ResultView[], offset: number, total: number | null, more: boolean }} SearchBatch */
/** @typedef {{ offline: boolean, allowed: string[] | null, assets: AssetView[] }} ProjectView */
/** @typedef {{ value: string, label: string }} Choice */
/** @typedef {{ types: Choice[], licenses: Choice[], sorts: string[], tagOperations: string[] }} FilterChoices */

/**
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {{ className?: string, text?: string, attrs?: Record<string, string> }} [options]
 * @param {(Node | string | null | undefined | false)[]} [children]
 * @returns {HTMLElementTagNameMap[K]}
 */
function h(tag, options = {}, children = []) {
  const element = document.createElement(tag);
  if (options.className) element.className = options.className;
  if (options.text !== undefined) element.textContent = options.text;
  for (const [name, value] of Object.entries(options.attrs ?? {})) element.setAttribute(name, value);
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return element;
}

/** @param {string} id @returns {HTMLElement} */
function byId(id) {
  const element = document.getElementById(id);
  if (!element) throw new Error(`the page has no #${id}`);
  return element;
}

/** An uploader's link, kept only when it is http(s). @param {string | null | undefined} url */
function safeHref(url) {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
  } catch {
    return null;
  }
}

/** A picture or sound the dev server serves (`api/media?…`), else nothing. @param {string | null | undefined} path */
function mediaSrc(path) {
  return typeof path === "string" && path.startsWith("api/media?") ? path : null;
}

/** `text` as a link that opens the site in a new tab, or plain text without a safe URL. @param {string} text @param {string | null} url */
function link(text, url) {
  const href = safeHref(url);
  return href ? h("a", { text, attrs: { href, target: "_blank", rel: "noopener noreferrer" } }) : h("span", { text });
}

/** @param {number | null} bytes */
function formatSize(bytes) {
  if (bytes === null || !Number.isFinite(bytes)) return "size unknown";
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(1)} kB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

/** An API answer other than 200: its message, and whether the network (or offline mode) is why. */
class ApiError extends Error {
  /** @param {string} message @param {number} status */
  constructor(message, status) {
    super(message);
    this.network = status === 502 || status === 503;
  }
}

/** @template T @param {string} path @returns {Promise<T>} */
async function getJson(path) {
  const response = await fetch(path, { headers: { Accept: "application/json" } });
  const body = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(body && typeof body.message === "string" ? body.message : `${path} answered ${response.status}`, response.status);
  return body;
}

/** @param {unknown} error */
function messageOf(error) {
  return error instanceof Error ? error.message : String(error);
}

/* ---------- copy to the clipboard ---------- */

const toast = byId("toast");
/** @type {ReturnType<typeof setTimeout> | undefined} */
let toastTimer;

/** @param {string} message */
function announce(message) {
  toast.textContent = message;
  toast.classList.add("shown");
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => toast.classList.remove("shown"), 1600);
}

/** @param {string} text */
async function writeClipboard(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // No Clipboard API outside a secure context (a Network URL over plain http): the old way.
    const area = h("textarea", { attrs: { readonly: "", "aria-hidden": "true" } });
    area.value = text;
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.append(area);
    area.select();
    const copied = document.execCommand("copy");
    area.remove();
    return copied;
  }
}

/** A line of code with a copy button. @param {string} text @param {string} what */
function copyLine(text, what) {
  const button = h("button", { className: "copy", text: "Copy", attrs: { type: "button", "aria-label": `Copy ${what}` } });
  button.addEventListener("click", async () => {
    const copied = await writeClipboard(text);
    button.textContent = copied ? "Copied" : "Copy failed";
    button.classList.toggle("done", copied);
    announce(copied ? `Copied: ${text}` : "Could not copy to the clipboard");
    setTimeout(() => {
      button.textContent = "Copy";
      button.classList.remove("done");
    }, 1600);
  });
  return h("div", { className: "copyline" }, [h("code", { text }), button]);
}

/* ---------- one asset ---------- */

/** @param {Preview | null} preview @param {string | null} type @param {string | null} [thumbnail] */
function previewBlock(preview, type, thumbnail = null) {
  const box = h("div", { className: "thumb" });
  const src = mediaSrc(preview?.image?.src) ?? mediaSrc(preview?.audio?.waveform) ?? mediaSrc(thumbnail);
  if (src) {
    const img = h("img", { attrs: { src, alt: "", loading: "lazy", decoding: "async" } });
    // Game sprites are often tiny: scale them up as pixels, not blur.
    img.addEventListener("load", () => img.classList.toggle("pixelated", img.naturalWidth > 0 && img.naturalWidth <= 64 && img.naturalHeight <= 64));
    img.addEventListener("error", () => img.replaceWith(document.createTextNode(type ?? "no preview")));
    box.append(img);
  } else {
    box.textContent = type ?? "no preview";
  }
  /** @type {HTMLElement[]} */
  const parts = [box];
  const sources = (preview?.audio?.sources ?? []).filter((source) => mediaSrc(source.src));
  if (sources.length > 0) {
    const audio = h("audio", { attrs: { controls: "", preload: "none", "aria-label": "Audio preview" } });
    for (const source of sources) audio.append(h("source", { attrs: { src: source.src, type: source.type } }));
    parts.push(audio);
  }
  return h("div", { className: "preview" }, parts);
}

/** `by A, B and C`, each a link when the page gave one. @param {Person} author @param {Person[]} collaborators */
function byline(author, collaborators) {
  const people = [author, ...collaborators];
  /** @type {(Node | string)[]} */
  const parts = ["by "];
  people.forEach((person, i) => {
    if (i > 0) parts.push(i === people.length - 1 ? " and " : ", ");
    parts.push(link(person.name, person.url));
  });
  return h("p", { className: "byline" }, parts);
}

/** @param {License[]} licenses */
function licenseList(licenses) {
  return h(
    "ul",
    { className: "licenses", attrs: { "aria-label": "Licenses on offer" } },
    licenses.map((license) => {
      const state = license.chosen ? "chosen" : license.allowed ? "" : "not-allowed";
      const note = license.chosen ? " · used" : license.allowed ? "" : " · not allowed";
      return h("li", { className: `license ${state}`.trim(), attrs: { title: license.spdx } }, [link(license.name, license.url), note ? h("small", { text: note }) : null]);
    }),
  );
}

/** @param {AssetView} asset */
function fileTable(asset) {
  const used = asset.files.filter((file) => file.imported).length;
  const summary = asset.filesUnavailable && asset.files.length === 0 ? "Files withheld by the site" : `Files (${asset.files.length})${used ? ` · ${used} imported` : ""}`;
  const rows = asset.files.map((file) =>
    h("tr", {}, [
      h("td", { className: "name" }, [file.name, file.label ? h("div", { className: "byline", text: `uploaded as ${file.label}` }) : null]),
      h("td", { className: "size", text: formatSize(file.size) }),
      h("td", {}, [file.imported ? h("span", { className: "used", text: "imported" }) : ""]),
      h("td", {}, [file.importLine ? copyLine(file.importLine, `the import line of ${file.name}`) : h("span", { className: "byline", text: "import it with a glob" })]),
    ]),
  );
  const table = h("table", { className: "file-table" }, [
    h("thead", {}, [h("tr", {}, ["File", "Size", "Used", "Import"].map((text) => h("th", { text, attrs: { scope: "col" } })))]),
    h("tbody", {}, rows),
  ]);
  return h("details", { className: "files" }, [h("summary", { text: summary }), asset.files.length ? table : null]);
}

/** @param {AssetView} asset @param {{ thumbnail?: string | null }} [extra] */
function assetCard(asset, extra = {}) {
  const chips = [
    asset.type ? h("span", { className: "chip", text: asset.type }) : null,
    asset.inProject ? h("span", { className: `chip${asset.loaded ? " live" : ""}`, text: asset.loaded ? "imported now" : "in the lockfile" }) : null,
  ];
  const notes = [
    asset.refused ? h("p", { className: "note bad", text: `Not allowed by your licenses option: ${asset.refused}` }) : null,
    asset.shareAlike && asset.license
      ? h("p", { className: "note warn", text: `Share-alike: ${asset.license} asks that what you make from this asset be shared under the same license.` })
      : null,
  ];
  // Open for the project's own assets: that is the line to put on a credits screen.
  const credit = asset.credit
    ? h("details", { className: "credit", attrs: asset.inProject ? { open: "" } : {} }, [
        h("summary", { text: asset.inProject ? "Credit line (as oga:credits gives it)" : "Credit line (as oga:credits will give it)" }),
        h("span", { className: "credit-text", text: asset.credit }),
        h("button", { className: "copy", text: "Copy credit", attrs: { type: "button" } }),
      ])
    : null;
  if (credit && asset.credit) {
    const text = asset.credit;
    const button = /** @type {HTMLButtonElement} */ (credit.querySelector("button"));
    button.addEventListener("click", async () => announce((await writeClipboard(text)) ? "Copied the credit line" : "Could not copy to the clipboard"));
  }
  const article = h("article", { className: `asset${asset.refused ? " refused" : ""}`, attrs: { "data-id": asset.id, "aria-label": asset.title } }, [
    previewBlock(asset.preview, asset.type, extra.thumbnail),
    h("div", { className: "body" }, [
      h("div", { className: "heading" }, [h("h3", {}, [link(asset.title, asset.pageUrl)]), ...chips]),
      byline(asset.author, asset.collaborators),
      licenseList(asset.licenses),
      ...notes,
      copyLine(asset.importLine, `the import line of ${asset.title}`),
      fileTable(asset),
      credit,
    ]),
  ]);
  return article;
}

/** A search result before its page is described. @param {ResultView} result */
function resultCard(result) {
  return h("article", { className: "asset", attrs: { "data-id": result.id, "aria-label": result.title, "aria-busy": "true" } }, [
    previewBlock(null, null, result.thumbnail),
    h("div", { className: "body" }, [
      h("div", { className: "heading" }, [h("h3", {}, [link(result.title, result.pageUrl)])]),
      h("p", { className: "byline", text: "Reading its page…" }),
      copyLine(result.importLine, `the import line of ${result.title}`),
    ]),
  ]);
}

/* ---------- tabs ---------- */

const tabs = /** @type {HTMLButtonElement[]} */ ([byId("tab-project"), byId("tab-search")]);

/** @param {"project" | "search"} name @param {boolean} [focus] */
function showTab(name, focus = false) {
  for (const tab of tabs) {
    const selected = tab.getAttribute("aria-controls") === name;
    tab.setAttribute("aria-selected", String(selected));
    tab.tabIndex = selected ? 0 : -1;
    byId(/** @type {string} */ (tab.getAttribute("aria-controls"))).hidden = !selected;
    if (selected && focus) tab.focus();
  }
  if (location.hash !== `#${name}`) history.replaceState(null, "", `#${name}`);
}

tabs.forEach((tab, i) => {
  tab.addEventListener("click", () => showTab(/** @type {"project" | "search"} */ (tab.getAttribute("aria-controls"))));
  tab.addEventListener("keydown", (event) => {
    if (event.key !== "ArrowRight" && event.key !== "ArrowLeft") return;
    const next = tabs[(i + (event.key === "ArrowRight" ? 1 : tabs.length - 1)) % tabs.length];
    if (next) showTab(/** @type {"project" | "search"} */ (next.getAttribute("aria-controls")), true);
  });
});

/* ---------- in this project ---------- */

/** Cards that still want their page described (a preview), described as they scroll into view. */
const describeWhenSeen = new IntersectionObserver(
  (entries) => {
    for (const entry of entries) {
      if (!entry.isIntersecting) continue;
      describeWhenSeen.unobserve(entry.target);
      void describeCard(/** @type {HTMLElement} */ (entry.target));
    }
  },
  { rootMargin: "200px" },
);

/** @param {HTMLElement} card */
async function describeCard(card) {
  const id = card.dataset.id ?? "";
  const thumbnail = card.dataset.thumbnail ?? null;
  try {
    const asset = await getJson(`api/asset?id=${encodeURIComponent(id)}`);
    card.replaceWith(assetCard(/** @type {AssetView} */ (asset), { thumbnail }));
  } catch (error) {
    card.removeAttribute("aria-busy");
    const line = card.querySelector(".byline");
    if (line) line.textContent = `Could not read its page: ${messageOf(error)}`;
  }
}

let offline = false;

async function loadProject() {
  const summary = byId("project-summary");
  const list = byId("project-list");
  try {
    /** @type {ProjectView} */
    const project = await getJson("api/project");
    offline = project.offline;
    if (offline) {
      const mode = byId("mode");
      mode.textContent = "Offline: from the cache";
      mode.hidden = false;
    }
    byId("project-count").textContent = String(project.assets.length);
    const loaded = project.assets.filter((asset) => asset.loaded).length;
    const shareAlike = project.assets.filter((asset) => asset.shareAlike).length;
    const refused = project.assets.filter((asset) => asset.refused).length;
    summary.replaceChildren(
      ...(project.assets.length === 0
        ? ["No OpenGameArt asset yet. Find one under ", h("a", { text: "Search", attrs: { href: "#search" } }), " and paste its import line into your code."]
        : [
            h("strong", { text: `${project.assets.length} ${project.assets.length === 1 ? "asset" : "assets"}` }),
            ` in the lockfile, ${loaded} imported since the dev server started.`,
            shareAlike ? ` ${shareAlike} under a share-alike license.` : "",
            refused ? ` ${refused} not allowed by your licenses option.` : "",
            project.allowed ? ` Allowed licenses: ${project.allowed.join(", ")}.` : "",
          ]),
    );
    list.replaceChildren(
      ...project.assets.map((asset) => {
        const card = assetCard(asset);
        if (!asset.described && !offline) describeWhenSeen.observe(card);
        return card;
      }),
    );
  } catch (error) {
    summary.textContent = `Could not read the project: ${messageOf(error)}`;
  }
}

/* ---------- search ---------- */

const form = /** @type {HTMLFormElement} */ (byId("search-form"));
const results = byId("search-results");
const searchStatus = byId("search-status");
const moreButton = /** @type {HTMLButtonElement} */ (byId("search-more"));
/** @type {{ query: string, offset: number, more: boolean, loading: boolean, shown: Set<string> } | null} */
let search = null;

/** The form as the API's query: the text goes to `keys`, `title` or `submitter`. */
function searchQuery() {
  const data = new FormData(form);
  const params = new URLSearchParams();
  const text = String(data.get("q") ?? "").trim();
  const field = String(data.get("field") ?? "keys");
  if (text) params.set(["keys", "title", "submitter"].includes(field) ? field : "keys", text);
  for (const name of ["type", "license"]) for (const value of data.getAll(name)) params.append(name, String(value));
  const tags = String(data.get("tag") ?? "").trim();
  if (tags) params.set("tag", tags);
  for (const name of ["tagOp", "sort"]) {
    const value = String(data.get(name) ?? "");
    if (value) params.set(name, value);
  }
  if (data.get("ascending")) params.set("ascending", "1");
  return params.toString();
}

async function loadMore() {
  const current = search;
  if (!current || current.loading || !current.more) return;
  current.loading = true;
  moreButton.hidden = true;
  searchStatus.textContent = current.offset === 0 ? "Searching…" : "Loading more results…";
  try {
    /** @type {SearchBatch} */
    const batch = await getJson(`api/search?${current.query}&offset=${current.offset}`);
    if (search !== current) return;
    current.offset += batch.results.length;
    current.more = batch.more && batch.results.length > 0;
    for (const result of batch.results) {
      if (current.shown.has(result.id)) continue;
      current.shown.add(result.id);
      const card = resultCard(result);
      if (result.thumbnail) card.dataset.thumbnail = result.thumbnail;
      results.append(card);
      describeWhenSeen.observe(card);
    }
    const count = current.shown.size;
    searchStatus.textContent =
      count === 0
        ? "Nothing found. Try other words or fewer filters."
        : `${count}${batch.total !== null ? ` of ${batch.total}` : ""} ${count === 1 ? "result" : "results"}${current.more ? ", more as you scroll" : ""}.`;
    moreButton.hidden = !current.more;
  } catch (error) {
    if (search !== current) return;
    current.more = false;
    searchStatus.textContent = error instanceof ApiError && error.network ? `Search needs the network: ${error.message}` : messageOf(error);
  } finally {
    current.loading = false;
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  if (offline) {
    searchStatus.textContent = "Search needs the network, and offline mode is on. The project’s assets are listed from the cache.";
    return;
  }
  results.replaceChildren();
  search = { query: searchQuery(), offset: 0, more: true, loading: false, shown: new Set() };
  void loadMore();
});
moreButton.addEventListener("click", () => void loadMore());
// Lazy paging: the next batch when the end of the list comes near.
new IntersectionObserver((entries) => {
  if (entries.some((entry) => entry.isIntersecting)) void loadMore();
}, { rootMargin: "400px" }).observe(byId("search-sentinel"));

async function loadFilters() {
  /** @type {FilterChoices} */
  const choices = await getJson("api/filters");
  /** @param {string} fieldset @param {string} name @param {Choice[]} options */
  const boxes = (fieldset, name, options) =>
    byId(fieldset).append(...options.map((option) => h("label", {}, [h("input", { attrs: { type: "checkbox", name, value: option.value } }), option.label])));
  boxes("filter-types", "type", choices.types);
  boxes("filter-licenses", "license", choices.licenses);
  byId("filter-sort").append(...choices.sorts.map((sort) => h("option", { text: sort, attrs: { value: sort } })));
  byId("filter-tag-op").append(...choices.tagOperations.map((op) => h("option", { text: op, attrs: { value: op } })));
}

/* ---------- start ---------- */

showTab(location.hash === "#search" ? "search" : "project");
void loadFilters().catch((error) => (searchStatus.textContent = `Could not load the search filters: ${messageOf(error)}`));
void loadProject();
