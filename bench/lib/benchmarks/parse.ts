/** 5. Parsing: asset and search pages the replica serves, against htmlparser2 alone. */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import type { ParseInput } from "../../cases/parse.js";
import { searchPageUrl } from "../../../src/site/search-query.js";
import { runCase } from "../child.js";
import type { BenchContext } from "../context.js";
import type { Figure } from "../figure.js";
import { median, pairedRatios } from "../stats.js";
import { REPO_ROOT } from "../paths.js";

/** The replica's richest asset page (many files, a long description, comments). */
const ASSET = "battle-theme-a";

async function savePage(url: string, file: string): Promise<{ file: string; url: string }> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  await writeFile(file, await response.text());
  return { file, url: response.url };
}

export async function parsePages(ctx: BenchContext): Promise<Figure> {
  const input: ParseInput = {
    repoRoot: REPO_ROOT,
    asset: await savePage(`${ctx.replica.url}/content/${ASSET}`, path.join(ctx.work, "asset.html")),
    search: await savePage(searchPageUrl(ctx.replica.url, {}, 0), path.join(ctx.work, "search.html")),
    budgetMs: ctx.options.parseBudgetMs,
  };
  type Rates = { assetPageBytes: number; searchPageBytes: number; assetPerSecond: number; assetDomPerSecond: number; searchPerSecond: number; searchDomPerSecond: number };
  const runs: Rates[] = [];
  for (let run = 0; run < ctx.options.runs; run++) {
    ctx.log(`parse: run ${run + 1}/${ctx.options.runs}`);
    runs.push(await runCase<Rates>("parse", input));
  }
  const pick = (key: keyof Rates) => runs.map((r) => r[key]);
  const first = runs[0];
  return {
    id: "parse",
    title: `Parse: asset page (${((first?.assetPageBytes ?? 0) / 1000).toFixed(1)} kB, /content/${ASSET}) and search page (${((first?.searchPageBytes ?? 0) / 1000).toFixed(1)} kB)`,
    rows: [
      { label: "parseAssetPage", unit: "pages/s", samples: pick("assetPerSecond") },
      { label: "reference: htmlparser2.parseDocument alone", unit: "pages/s", samples: pick("assetDomPerSecond") },
      { label: "ratio (of medians)", unit: "×", samples: [median(pick("assetPerSecond")) / median(pick("assetDomPerSecond"))] },
      { label: "parseSearchPage", unit: "pages/s", samples: pick("searchPerSecond") },
      { label: "reference: htmlparser2.parseDocument alone", unit: "pages/s", samples: pick("searchDomPerSecond") },
      { label: "ratio (of medians)", unit: "×", samples: [median(pick("searchPerSecond")) / median(pick("searchDomPerSecond"))] },
      { label: "ratio per run, asset (paired)", unit: "×", samples: pairedRatios(pick("assetPerSecond"), pick("assetDomPerSecond")) },
    ],
    notes: [
      `One asset page takes ${(1000 / median(pick("assetPerSecond"))).toFixed(2)} ms to parse, once per asset: the description is cached and the lockfile spares even that.`,
    ],
  };
}
