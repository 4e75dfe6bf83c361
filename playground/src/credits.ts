/**
 * The credits screen, from `oga:credits`: every OpenGameArt asset in the bundle, with the license
 * the plugin chose for this project. In `vite dev` the plugin refills that same array in place
 * (HMR) as assets load, so the screen renders it each time it is shown instead of once at start.
 */
import type { Credit } from "oga:credits";

export type { Credit };

export function renderCredits(list: HTMLElement, credits: readonly Credit[]): void {
  list.replaceChildren(...credits.map(creditItem));
}

function creditItem(credit: Credit): HTMLLIElement {
  const item = document.createElement("li");
  item.dataset.asset = credit.id;
  const person = (p: { name: string; url: string | null }) => (p.url ? link(p.url, p.name) : text(p.name));
  // Co-authors are credited beside the author: a CC-BY credit that drops one does not meet the license.
  const authors = [credit.author, ...credit.collaborators].flatMap((p, i, all) => [
    ...(i === 0 ? [] : [text(i === all.length - 1 ? " and " : ", ")]),
    person(p),
  ]);
  // The chosen license links to its deed when the plugin knows it (licenseUrl is null otherwise).
  const license = credit.licenseUrl
    ? link(credit.licenseUrl, credit.license, "license")
    : Object.assign(document.createElement("span"), { className: "license", textContent: credit.license });
  item.append(link(credit.pageUrl, credit.title, "title"), text(" by "), ...authors, text(" — "), license);
  if (credit.shareAlike) item.append(text(" (share-alike)"));
  // Players see the license we use; the others offered are listed so the choice is visible.
  const others = credit.licenses.filter((name) => name !== credit.license);
  if (others.length > 0) item.append(small("offered", `also offered under ${others.join(", ")}`));
  if (credit.attribution) item.append(small("attribution", credit.attribution));
  return item;
}

function link(href: string, label: string, className?: string): HTMLAnchorElement {
  const anchor = document.createElement("a");
  anchor.href = href;
  anchor.textContent = label;
  if (className) anchor.className = className;
  // Credits point off-site; keep the game running in its own tab.
  anchor.target = "_blank";
  anchor.rel = "noopener";
  return anchor;
}

function small(className: string, value: string): HTMLElement {
  return Object.assign(document.createElement("small"), { className, textContent: value });
}

function text(value: string): Text {
  return document.createTextNode(value);
}
