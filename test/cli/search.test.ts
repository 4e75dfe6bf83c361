import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { ART_TYPES, LICENSES } from "../../src/site/vocabulary.js";
import type { ReplicaAsset } from "../replica/index.js";
import { parseSearchQuery, type SearchQuery } from "../replica/search.js";
import { ANSI, lines, runOga, runShell, useReplicaAndCache } from "./run-oga.js";

const { replica, env } = useReplicaAndCache();
const SEARCH = "/art-search-advanced";
/** Tests never wait between pages; the default of 1 s is for the real site. */
const search = (...args: string[]) => runOga(["search", "--delay", "0", ...args], { env: env() });

function searchQueries(): SearchQuery[] {
  return replica.requests.filter(SEARCH).map((r) => parseSearchQuery(r.path.slice(r.path.indexOf("?"))));
}

function assetOf(line: string): ReplicaAsset {
  const id = line.split(" ")[0]!;
  const asset = replica.catalogue.getAsset(decodeURIComponent(id));
  if (!asset) throw new Error(`search printed ${id}, which the replica does not have`);
  return asset;
}

/** Settles once `file` exists (polled: a positive signal, not a fixed wait), or when `signal` aborts. */
async function untilExists(file: string, signal: AbortSignal): Promise<void> {
  while (!existsSync(file) && !signal.aborted) await sleep(5);
}

/** The ids a search printed, sorted. */
const idsOf = (rows: string[]): string[] => rows.map((row) => decodeURIComponent(row.split(" ")[0]!)).sort();

/** The ids of every art asset (collections are no search results) the replica holds that `keep` accepts, sorted. */
const slugsWhere = (keep: (asset: ReplicaAsset) => boolean): string[] =>
  replica.catalogue
    .assets()
    .filter((a) => a.kind === "art" && keep(a))
    .map((a) => a.slug)
    .sort();

const termId = (slug: string) => (ART_TYPES.find((t) => t.slug === slug) ?? LICENSES.find((l) => l.slug === slug))!.termId;

describe("oga search", () => {
  it("prints `<id> <title>` per result and pages on until --page-limit", async () => {
    const run = await search("--items-per-page", "24", "--page-limit", "3");
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const rows = lines(run.stdout);
    expect(rows).toHaveLength(72);
    for (const row of rows) expect(row).toBe(`${row.split(" ")[0]} ${assetOf(row).title}`);
    expect(new Set(rows).size).toBe(72);
    expect(searchQueries().map((q) => q.page)).toEqual([0, 1, 2]);
    expect(run.stdout).not.toMatch(ANSI);
  });

  it("stops at the last page without --page-limit", async () => {
    const run = await search("--items-per-page", "48");
    expect(run.code).toBe(0);
    const pages = searchQueries().length;
    expect(pages).toBeGreaterThanOrEqual(2);
    expect(lines(run.stdout).length).toBeGreaterThan(48 * (pages - 1));
    expect(lines(run.stdout).length).toBeLessThanOrEqual(48 * pages);
  });

  it("streams: the first page is printed while later pages are still on their way", async () => {
    replica.faults.add({ path: /[?&]page=1(&|$)/, kind: "delay", ms: 1500 });
    const run = await search("--items-per-page", "24", "--page-limit", "2");
    expect(run.code).toBe(0);
    expect(lines(run.stdout)).toHaveLength(48);
    expect(run.totalMs - run.firstStdoutMs!).toBeGreaterThan(1000);
  });

  it("--json prints one JSON object per result (NDJSON)", async () => {
    const run = await search("--json", "--items-per-page", "24", "--page-limit", "1");
    expect(run.code).toBe(0);
    const rows = lines(run.stdout).map((row) => JSON.parse(row) as { id: string; title: string; pageUrl: string });
    expect(rows).toHaveLength(24);
    for (const row of rows) {
      expect(row.title).toBe(assetOf(row.id).title);
      // The canonical page, though the replica served the search.
      expect(row.pageUrl).toBe(`https://opengameart.org/content/${row.id}`);
    }
  });

  it("maps every filter flag to the site's query", async () => {
    const run = await search(
      "--keys", "battle", "--title", "theme", "--submitter", "cynic", "--sort-by", "created", "--ascending",
      "--type", "music", "--type", "sfx", "--license", "cc0", "--license", "cc-by-30",
      "--tag", "Battle", "--tag", "epic", "--tag-op", "and", "--page-limit", "1",
    );
    expect(run.code).toBe(0);
    expect(searchQueries()).toEqual([
      expect.objectContaining({
        keys: "battle",
        title: "theme",
        name: "cynic",
        sortBy: "created",
        sortOrder: "ASC",
        types: [termId("music"), termId("sfx")],
        licenses: [termId("cc0"), termId("cc-by-30")],
        tags: ["Battle", "epic"],
        tagOperator: "and",
      }),
    ]);
    expect(lines(run.stdout).map((row) => row.split(" ")[0])).toEqual(["battle-theme-a"]);
  });

  it("number-like words stay text: --title 007, --keys=1e3, --tag 0x10", async () => {
    const run = await search("--title", "007", "--keys=1e3", "--tag", "0x10", "--page-limit", "1");
    expect(run.code).toBe(0);
    expect(searchQueries()).toEqual([expect.objectContaining({ title: "007", keys: "1e3", tags: ["0x10"] })]);
  });

  it("--type keeps only that art type", async () => {
    const run = await search("--type", "sfx");
    expect(run.code).toBe(0);
    const rows = lines(run.stdout);
    // Every sound effect the site holds, and nothing else.
    expect(idsOf(rows)).toEqual(slugsWhere((a) => a.type === "Sound Effect"));
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(assetOf(row).type).toBe("Sound Effect");
    expect(searchQueries()[0]!.types).toEqual([termId("sfx")]);
  });

  it("--license keeps only assets offering that license", async () => {
    const run = await search("--license", "lgpl-30");
    expect(run.code).toBe(0);
    const rows = lines(run.stdout);
    expect(idsOf(rows)).toEqual(slugsWhere((a) => a.licenses.includes("LGPL 3.0")));
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(assetOf(row).licenses).toContain("LGPL 3.0");
  });

  it("--tag with --tag-op not and not-empty", async () => {
    const not = await search("--tag", "battle", "--tag-op", "not");
    expect(not.code).toBe(0);
    const notRows = lines(not.stdout);
    expect(idsOf(notRows)).toEqual(slugsWhere((a) => !a.tags.some((t) => t.toLowerCase() === "battle")));
    expect(notRows.length).toBeGreaterThan(0);
    for (const row of notRows) expect(assetOf(row).tags.map((t) => t.toLowerCase())).not.toContain("battle");
    const notEmpty = await search("--tag-op", "not-empty", "--items-per-page", "24", "--page-limit", "1");
    expect(notEmpty.code).toBe(0);
    const tagged = lines(notEmpty.stdout);
    expect(tagged).toHaveLength(24);
    for (const row of tagged) expect(assetOf(row).tags.length).toBeGreaterThan(0);
    expect(searchQueries().map((q) => q.tagOperator)).toContain("not empty");
  });

  it("--sort-by and --ascending order the results", async () => {
    const views = await search("--sort-by", "views", "--items-per-page", "24", "--page-limit", "1");
    const counts = lines(views.stdout).map((row) => assetOf(row).views);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    const fewest = await search("--ascending", "--items-per-page", "24", "--page-limit", "1");
    const favorites = lines(fewest.stdout).map((row) => assetOf(row).favorites);
    expect(favorites).toEqual([...favorites].sort((a, b) => a - b));
    expect(searchQueries().map((q) => [q.sortBy, q.sortOrder])).toEqual([["totalcount", "DESC"], ["count", "ASC"]]);
  });

  it("--title and --submitter narrow the results", async () => {
    const run = await search("--submitter", "cynic", "--title", "battle");
    expect(run.code).toBe(0);
    const rows = lines(run.stdout);
    expect(idsOf(rows)).toEqual(slugsWhere((a) => a.title.toLowerCase().includes("battle") && a.submitter.name.toLowerCase().includes("cynic")));
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      const asset = assetOf(row);
      expect(asset.title.toLowerCase()).toContain("battle");
      expect(asset.submitter.name.toLowerCase()).toContain("cynic");
    }
  });

  it.each([
    [["--type", "painting"], "--type", ["2d", "3d", "concept", "texture", "music", "sfx", "doc"]],
    [["--license", "mit"], "--license", ["cc0", "cc-by-40", "cc-by-30", "cc-by-sa-40", "cc-by-sa-30", "oga-by-30", "oga-by-40", "gpl-30", "gpl-20", "lgpl-30", "lgpl-21"]],
    [["--tag-op", "xor"], "--tag-op", ["or", "and", "not", "empty", "not-empty"]],
    [["--sort-by", "rating"], "--sort-by", ["favorites", "created", "views", "relevance"]],
  ])("a bad value (%j) exits 2 listing the allowed ones, without asking the site", async (args, flag, allowed) => {
    const run = await search(...args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(lines(run.stderr)).toHaveLength(1);
    expect(run.stderr).toContain(`oga: ${flag}: "${args[1]}" is not allowed; allowed: ${allowed.join(", ")}`);
    expect(replica.requests.count(SEARCH)).toBe(0);
  });

  it("a bad --page-limit or an unknown flag exits 2 with one line", async () => {
    const limit = await search("--page-limit", "0");
    expect(limit.code).toBe(2);
    expect(limit.stderr).toMatch(/^oga: --page-limit: expected a positive integer, got "0"/);
    const unknown = await search("--colour", "red");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^oga: Unknown option `--colour`/);
    expect(lines(unknown.stderr)).toHaveLength(1);
  });

  it("`| head -1` ends quietly: no EPIPE crash, exit 0, no more pages fetched", async () => {
    // Page 2 is answered only once `head` has exited and nothing holds the pipe's read end (the
    // marker is made after stdin is closed), so its first line must meet EPIPE however slowly
    // `head` starts: the search stops there instead of walking all four pages.
    const dir = await mkdtemp(path.join(tmpdir(), "oga-head-"));
    const mark = path.join(dir, "head-exited");
    const headExited = new AbortController();
    replica.faults.add({ path: /[?&]page=1(&|$)/, kind: "wait", until: untilExists(mark, headExited.signal) });
    try {
      const run = await runShell(
        `{ "$NODE" "$BIN" search --delay 0 --items-per-page 24; echo "oga exit $?" >&2; } | { head -1; exec 0<&-; : > "$MARK"; }`,
        { env: { ...env(), MARK: mark } },
      );
      expect(run.code).toBe(0);
      expect(lines(run.stdout)).toHaveLength(1);
      expect(run.stderr).toBe("oga exit 0\n");
      // Page 1's lines may already meet the closed pipe (then page 2 is never asked for); page 2's
      // first line meets it at the latest.
      const pages = searchQueries().map((q) => q.page);
      expect(pages[0]).toBe(0);
      expect(pages.filter((page) => page > 1)).toEqual([]);
    } finally {
      headExited.abort();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("feeds `cut -d' ' -f1 | xargs -n1 oga download`", async () => {
    const run = await runShell(
      `"$NODE" "$BIN" search --delay 0 --type 2d --license cc0 --items-per-page 2 --page-limit 1 | cut -d" " -f1 | xargs -n1 "$NODE" "$BIN" download`,
      { env: env() },
    );
    expect(run.code).toBe(0);
    expect(lines(run.stdout).length).toBeGreaterThanOrEqual(2);
    expect(run.stderr).toMatch(/^downloaded /m);
  });
});
