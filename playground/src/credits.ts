/**
 * The credits screen. It renders `Credit` records and knows nothing of where they come from:
 * today `assets.ts` builds them from each import's `meta`; once `oga:credits` exists (issue 5)
 * it will hand over that list instead, and only `assets.ts` changes.
 */

export interface Credit {
  /** Asset id (page slug), e.g. `battle-theme-a`. */
  id: string;
  title: string;
  pageUrl: string;
  author: { name: string; url: string | null };
  /** The license shown to players: the chosen one, or every license offered joined by " / ". */
  license: string;
  /** The author's own attribution wording, shown as given ("" when the page has none). */
  attribution: string;
}

export function renderCredits(list: HTMLElement, credits: readonly Credit[]): void {
  list.replaceChildren(...credits.map(creditItem));
}

function creditItem(credit: Credit): HTMLLIElement {
  const item = document.createElement("li");
  item.dataset.asset = credit.id;
  const author = credit.author.url ? link(credit.author.url, credit.author.name) : text(credit.author.name);
  item.append(
    link(credit.pageUrl, credit.title),
    text(" by "),
    author,
    text(" — "),
    Object.assign(document.createElement("span"), { className: "license", textContent: credit.license }),
  );
  if (credit.attribution) {
    item.append(Object.assign(document.createElement("small"), { className: "attribution", textContent: credit.attribution }));
  }
  return item;
}

function link(href: string, label: string): HTMLAnchorElement {
  const anchor = document.createElement("a");
  anchor.href = href;
  anchor.textContent = label;
  // Credits point off-site; keep the game running in its own tab.
  anchor.target = "_blank";
  anchor.rel = "noopener";
  return anchor;
}

function text(value: string): Text {
  return document.createTextNode(value);
}
