/**
 * Page parsing throughput: `parseAssetPage` and `parseSearchPage` on pages the replica serves,
 * each against `htmlparser2.parseDocument` alone on the same page (the floor any DOM-based
 * parser pays), so the ratio is what our selectors and record building add.
 */
import { readFile } from "node:fs/promises";
import { parseDocument } from "htmlparser2";
import { importBuilt, msPerCall, readInput, reply } from "./protocol.js";

export interface ParseInput {
  repoRoot: string;
  asset: { file: string; url: string };
  search: { file: string; url: string };
  /** Time spent on each of the four loops. */
  budgetMs: number;
}

/** Calls `parse` until the budget is spent (after a short warm-up) and returns calls per second. */
function pagesPerSecond(parse: () => unknown, budgetMs: number): number {
  return 1000 / msPerCall(parse, budgetMs, 20);
}

const input = readInput<ParseInput>();
const { parseAssetPage } = await importBuilt<typeof import("../../src/site/parse-asset.js")>(input.repoRoot, "dist/site/parse-asset.js");
const { parseSearchPage } = await importBuilt<typeof import("../../src/site/parse-search.js")>(input.repoRoot, "dist/site/parse-search.js");
const assetHtml = await readFile(input.asset.file, "utf8");
const searchHtml = await readFile(input.search.file, "utf8");
const started = performance.now();
const result = {
  assetPageBytes: Buffer.byteLength(assetHtml),
  searchPageBytes: Buffer.byteLength(searchHtml),
  assetPerSecond: pagesPerSecond(() => parseAssetPage(assetHtml, input.asset.url), input.budgetMs),
  assetDomPerSecond: pagesPerSecond(() => parseDocument(assetHtml), input.budgetMs),
  searchPerSecond: pagesPerSecond(() => parseSearchPage(searchHtml, input.search.url), input.budgetMs),
  searchDomPerSecond: pagesPerSecond(() => parseDocument(searchHtml), input.budgetMs),
};
await reply({ ms: performance.now() - started, ...result });
