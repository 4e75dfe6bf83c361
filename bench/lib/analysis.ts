/**
 * The explanation written under the results: why a figure is what it is. Words plus numbers
 * taken from this run's figures only, so it stays true when the numbers move.
 */
import { meets, type Figure, type Row } from "./figure.js";
import { summarize } from "./stats.js";

function find(figures: Figure[], id: string, label: string): Row | undefined {
  return figures.find((f) => f.id === id)?.rows.find((r) => r.label.startsWith(label));
}

const med = (row: Row | undefined) => (row ? summarize(row.samples).median : Number.NaN);
const pct = (x: number) => `${(x * 100).toFixed(0)} %`;
const fix = (x: number, digits = 2) => x.toFixed(digits);

function downloadGap(figures: Figure[], id: "cold" | "large", what: string): string | undefined {
  const versusReference = find(figures, id, "ratio client / reference");
  const versusUndici = med(find(figures, id, "ratio client / undici alone"));
  const client = med(find(figures, id, id === "cold" ? "oga: client.fetchFile" : "oga client"));
  const reference = find(figures, id, "reference:");
  const undici = med(find(figures, id, "undici alone"));
  if (!versusReference || Number.isNaN(versusUndici)) return undefined;
  const ratio = med(versusReference);
  const met = versusReference.target ? meets(ratio, versusReference.target) : true;
  const head = `**${what}:** the client reached ${fix(client, 0)} MB/s, ${fix(ratio)}× ${reference?.label.replace(/^reference: /, "") ?? "the reference"} (${fix(med(reference), 0)} MB/s)${met ? "" : `, under the ${versusReference.target?.value}× target`}.`;
  const store = `Against undici alone with the same connections (${fix(undici, 0)} MB/s) the client is at ${fix(versusUndici)}×: what the store adds (sha256 of every byte, a temp file, a rename, the index entry) costs ${versusUndici >= 1 ? "nothing measurable" : pct(1 - versusUndici)}.`;
  const floor = undici / med(reference);
  // The gap to the reference is the product of two factors: Node's HTTP stack against the
  // reference (undici alone) and our store against that stack (the client against undici alone).
  const stackIsLarger = floor < versusUndici;
  const gap = met
    ? ""
    : ` The gap has two factors: undici alone reaches ${fix(floor)}× the reference (a Node process streaming bodies to disk, before any of our code), and the store keeps ${fix(versusUndici)}× of that. ${
        stackIsLarger
          ? "The HTTP stack is the larger factor: the client cannot beat the stack it runs on, and loopback is its worst case (on a real link the site, not the client, sets the speed)."
          : `The store is the larger factor; \`npm run bench -- --only ${id} --cpu-prof DIR\` profiles it.`
      }`;
  return `${head} ${store}${gap}`;
}

export function analysis(figures: Figure[]): string {
  const parts: string[] = [];

  const warmRatio = find(figures, "warm", "ratio oga / local");
  if (warmRatio) {
    const ratio = med(warmRatio);
    const cpu = med(find(figures, "warm", "CPU ratio"));
    const paired = summarize(find(figures, "warm", "ratio per run")?.samples ?? []);
    const met = warmRatio.target ? meets(ratio, warmRatio.target) : true;
    parts.push(
      `**Warm build:** ${fix(ratio, 3)}× the local build by wall time and ${fix(cpu, 3)}× by CPU time (all threads), ${met ? "within" : "over"} the ${warmRatio.target?.value}× target; the paired per-run ratios ranged ${fix(paired.min)}–${fix(paired.max)}, so on this machine a single pair of builds says little and the medians carry the result. ` +
        `The oga graph holds ${fix(med(find(figures, "warm", "modules in the graph, oga")), 0)} modules against ${fix(med(find(figures, "warm", "modules in the graph, local")), 0)} for the local game: each asset record is a virtual module and each file gets its own virtual module before the \`?url\` import of its blob, and Vite runs its plugin chain on every module. That per-module work, not the cache (a verified blob costs one stat and one stamp read) nor the network stack and HTML parsers (not loaded at all when the lockfile and cache answer, \`test/lazy-imports.test.ts\`), is what separates the two builds. Importing blobs straight from the record modules would drop the per-file virtual modules.`,
    );
  }
  const cold = downloadGap(figures, "cold", "Cold fetch");
  if (cold) parts.push(cold);
  const large = downloadGap(figures, "large", "Large file");
  if (large) {
    const peak = find(figures, "large", "peak RSS");
    const idle = med(find(figures, "large", "RSS of the same process"));
    parts.push(`${large} Peak RSS was ${fix(med(peak), 0)} MB (target < ${peak?.target?.value} MB), of which ${fix(idle, 0)} MB is the process before the transfer: memory does not grow with the file, the rest is streaming buffers and garbage the collector has not reclaimed yet.`);
  }
  const dev = find(figures, "dev", "ratio oga / local");
  if (dev) {
    parts.push(
      `**Dev server:** the first \`oga:\` asset arrived after ${fix(med(find(figures, "dev", "oga: first")), 0)} ms, ${fix(med(dev))}× a local asset (${fix(med(find(figures, "dev", "reference: first")), 0)} ms); the difference is loading the plugin, reading the lockfile and the two virtual modules between the entry and the file.`,
    );
  }
  const parse = find(figures, "parse", "parseAssetPage");
  if (parse) {
    parts.push(
      `**Parse:** ${fix(1000 / med(parse))} ms per asset page and ${fix(1000 / med(find(figures, "parse", "parseSearchPage")))} ms per search page; building the DOM (htmlparser2 alone) is ${pct(med(find(figures, "parse", "ratio (of medians)")))} of parseAssetPage's time, the rest is our selectors and record building. One page per asset, cached with the description, so this is never what a build waits for.`,
    );
  }
  const spreads = figures.flatMap((f) => f.rows.filter((r) => r.samples.length > 1 && (r.unit === "ms" || r.unit === "MB/s")).map((r) => summarize(r.samples).spread));
  if (spreads.length) {
    parts.push(`**Noise:** across the time and throughput series the spread (max − min over median) was ${pct(Math.min(...spreads))} at best and ${pct(Math.max(...spreads))} at worst; other engineers' test runs shared the cores (see the load averages above). Ratios of series measured alternately are steadier than the absolute numbers.`);
  }
  return parts.join("\n\n");
}
