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
  // The target sits on the reference ratio (large files: against curl) or on the undici one
  // (small files: against the stack the client runs on), as issue 16 sets them.
  const undiciRow = find(figures, id, "ratio client / undici alone");
  const gated = versusReference.target ? versusReference : undiciRow?.target ? undiciRow : undefined;
  const met = gated?.target ? meets(med(gated), gated.target) : true;
  const verdict = (row: Row | undefined) => (row?.target && gated === row ? (met ? ` (target ≥ ${row.target.value}×: met)` : `, under the ${row.target.value}× target`) : "");
  const head = `**${what}:** the client reached ${fix(client, 0)} MB/s, ${fix(ratio)}× ${reference?.label.replace(/^reference: /, "") ?? "the reference"} (${fix(med(reference), 0)} MB/s)${verdict(versusReference)}.`;
  const store = `Against undici alone with the same connections (${fix(undici, 0)} MB/s) the client is at ${fix(versusUndici)}×${verdict(undiciRow)}: what the store adds (sha256 of every byte, a temp file, a rename, the index entry) costs ${versusUndici >= 1 ? "nothing measurable" : pct(1 - versusUndici)}.${storeFloor(figures, id, client)}`;
  const floor = undici / med(reference);
  // The gap to the reference is the product of two factors: Node's HTTP stack against the
  // reference (undici alone) and our store against that stack (the client against undici alone).
  const stackIsLarger = floor < versusUndici;
  // A client above undici alone is not held back by the stack as undici alone uses it: the large
  // file's own text says what limits it.
  const gap = met || (id === "large" && versusUndici >= 1)
    ? ""
    : ` The gap has two factors: undici alone reaches ${fix(floor)}× the reference (a Node process streaming bodies to disk, before any of our code), and the store keeps ${fix(versusUndici)}× of that. ${
        stackIsLarger
          ? "The HTTP stack is the larger factor: the client cannot beat the stack it runs on, and loopback is its worst case (on a real link the site, not the client, sets the speed)."
          : `The store is the larger factor; \`npm run bench -- --only ${id} --cpu-prof DIR\` profiles it.`
      }`;
  return `${head} ${store}${gap}`;
}

/**
 * What the store's own work predicts, from the figures measured without the network: the
 * bookkeeping per file and the sha256 rate, added to undici alone.
 */
function storeFloor(figures: Figure[], id: "cold" | "large", client: number): string {
  const sha = med(find(figures, id, "sha256 alone"));
  const predicted = med(find(figures, id, "undici alone +"));
  if (Number.isNaN(sha) || Number.isNaN(predicted)) return "";
  const bookkeepingRow = find(figures, id, "store bookkeeping alone");
  const files = Number(/(\d+) files/.exec(bookkeepingRow?.label ?? "")?.[1] ?? Number.NaN);
  const bookkeeping = med(bookkeepingRow);
  let work = bookkeepingRow
    ? `hashing runs at ${fix(sha, 0)} MB/s on this CPU and the store's per-file bookkeeping (index lookup, blob folder, rename, stamp, index entry appended to the journal) takes ${fix(bookkeeping, 0)} ms for the ${files} files (${fix(bookkeeping / files)} ms each: creating files and folders is what costs on this disk)`
    : `hashing runs at ${fix(sha, 0)} MB/s on this CPU`;
  const load = med(find(figures, id, "loading undici"));
  if (!Number.isNaN(load)) work += `, and loading undici, which the client does on its first request (the reference's time includes loading it too), takes ${fix(load, 0)} ms`;
  const kept = client / predicted;
  return (
    ` Measured without the network in the same kind of child process, ${work}; added to undici alone that predicts ${fix(predicted, 0)} MB/s, and the client reached ${fix(kept)}× of that prediction` +
    (id === "large" && kept > 1.1
      ? ": above it, because undici alone, as measured here (a body stream piped into a file stream), pays costs the client no longer has (below)."
      : kept >= 0.9
        ? ": the store's cost is that work itself, which the cache's guarantees require (every byte hashed before the rename, blobs and index entries replaced atomically), not overhead around it. With the replica serving from the parent process on the same cores, that work competes with the transfer for CPU instead of overlapping it."
        : id === "cold"
          ? ": the rest is the same work costing more while bodies stream in. Profiled (`--cpu-prof`, `strace -c -f` on the child, and timing each step alone), the client's time beyond undici's goes to the files the store creates, two new inodes per file (the body's temp file and the blob's folder) where undici alone creates one; the index entry is a line appended to the process's journal, which timed alone costs a few per cent of creating a file (it was a temp file and a rename per entry). Each creation takes several times longer during a cold download, with five bodies being written, than in the quiet measurement above, and on two busy cores that kernel work adds to the transfer whichever thread issues it (moving the creations off the critical path, before the response, did not change the time). What is left is the cache's guarantees: every byte hashed before the rename, and a folder per blob, since content addressing needs one per hash while the blob's basename must stay its file name (bundlers use it). (Both timed spans include loading undici: the client loads it on its first request, the reference as it starts.)"
          : ": the rest is overhead around that work, worth profiling.")
  );
}

/**
 * Why the large file runs at the speed it does: what was profiled, what was removed, and what was
 * tried and measured without being kept (issue 16, target 4). Numbers from this run where the
 * figures have them; the CPU split was measured with perf and --cpu-prof on 1 GiB.
 */
function largeFileLimits(figures: Figure[]): string {
  const sha = med(find(figures, "large", "sha256 alone"));
  const reference = med(find(figures, "large", "reference:"));
  const peak = find(figures, "large", "peak RSS");
  const idle = med(find(figures, "large", "RSS of the same process"));
  const gib = 2 ** 30 / 1e6;
  const hashMs = (gib / sha) * 1000;
  const referenceMs = (gib / reference) * 1000;
  const stack = med(find(figures, "large", "undici's dispatcher, body discarded"));
  const stackMs = (gib / stack) * 1000;
  const budgetMs = referenceMs / 0.8;
  const left = budgetMs - stackMs;
  const ceiling = Number.isNaN(stack)
    ? ""
    : `The HTTP stack's own ceiling: undici's dispatcher handing every chunk to a handler that drops it (no file, no hash) took ${fix(stackMs, 0)} ms per GiB (${fix(stack, 0)} MB/s, ${fix(stack / reference)}× curl writing its file), and 0.8× curl allows ${fix(budgetMs, 0)} ms per GiB. ${
        left <= 0
          ? "The stack alone, before a byte is written or hashed, takes more than that: in this run no client built on undici could meet the target, wherever it writes and hashes. "
          : left < hashMs
            ? `That leaves ${fix(left, 0)} ms for writing the file and hashing every byte, less than sha256 alone needs (${fix(hashMs, 0)} ms): only hashing off the receiving thread could meet the target, and that measured no better on two shared cores (below). `
            : `That leaves ${fix(left, 0)} ms for writing the file and hashing every byte (sha256 alone: ${fix(hashMs, 0)} ms). `
      }`;
  return (
    `${ceiling}Profiled (perf, \`--cpu-prof\`, \`strace -c\`) on 1 GiB: the client's main thread is busy for the whole transfer, receiving (the kernel's copy out of the socket), parsing (undici copies each chunk into llhttp's memory), hashing and writing (the kernel's copy into the page cache). curl makes the same two kernel copies, about 1.3 s of CPU per GiB on this machine and nearly all of it system time, and nothing else. sha256 of every byte adds ${fix(hashMs, 0)} ms per GiB at this CPU's ${fix(sha, 0)} MB/s on the thread that also receives, while curl took ${fix(referenceMs, 0)} ms for the whole GiB: at 0.8× curl the client would have ${fix(referenceMs * 0.25, 0)} ms per GiB for everything curl does not do, less than the hash alone, and the replica serving from the parent process takes much of the other core. ` +
    `Two costs that curl does not have were removed. Node reads each socket chunk into a fresh buffer and the collector frees them in batches; with glibc's default trim threshold the heap shrank and regrew every few megabytes, so nearly every received byte landed on a page the kernel had to fault in and zero (socket reads took 100 µs each against 28 µs in undici alone; the system time halved once freed heap was kept, see src/site/heap-retention.ts). And bodies now go from undici's dispatch handler straight to the hashing writer (\`SiteHttp.streamFile\`), without a Readable and a Writable per file. Together they took the client from about half of undici alone (0.52× in a run before them) to the ratio given above. ` +
    `Tried and measured, not kept: parallel Range requests (2 and 4 ranges of the file, not even hashed, were no faster than one connection: on loopback the limit is CPU per byte, not what one connection carries, and hashing ranges that complete out of order would add a read-back of the file); hashing in a worker thread, from a shared ring or by reading the written prefix back from the temp file, was faster in some runs and slower in others on the two shared cores, and put peak RSS at 146–156 MB. ` +
    `Peak RSS was ${fix(med(peak), 0)} MB (target < ${peak?.target?.value} MB), of which ${fix(idle, 0)} MB is the process before the transfer: memory does not grow with the file, the rest is socket buffers the collector has not freed yet, and the heap glibc now keeps for reuse.`
  );
}

/** What the warm build's gap to the local one is made of, and whether the target can hold it. */
function warmRemainder(w: { met: boolean; ratio: number; target: number; importMs: number; ogaMs: number; localMs: number; budget: number; extraModules: number; paired: number }): string {
  if (Number.isNaN(w.importMs)) return "";
  const difference = w.ogaMs - w.localMs;
  if (difference <= w.importMs) {
    return ` The oga build's median was ${fix(difference, 0)} ms from the local one's, no more than importing the plugin (${fix(w.importMs, 0)} ms): in this run the bundler's work on the plugin's modules and the plugin's own hooks did not show above the noise.`;
  }
  const parts = ` Of the ${fix(difference, 0)} ms difference of the medians, importing the plugin took ${fix(w.importMs, 0)} ms (Node loading our modules and their dependencies before the build can start); the rest is the ${fix(w.extraModules, 0)} extra modules going through Vite's plugin chain, the lockfile, the stamps and the credits. The ${w.target}× target allows ${fix(w.budget, 0)} ms over this ${fix(w.localMs, 0)} ms build.`;
  if (w.importMs >= w.budget) {
    return `${parts} Importing the plugin alone exceeds that, so on a game this small the target cannot be met while the plugin has to be loaded at all; on a game whose build takes seconds the same fixed cost is a few per cent.`;
  }
  // At the edge when the two ways of taking the ratio disagree about the target, or the ratio of
  // the medians is within 0.05 of it: then this run cannot settle the result.
  const edge = w.ratio <= w.target !== w.paired <= w.target || Math.abs(w.ratio - w.target) < 0.05;
  const verdict = edge
    ? `, so this run cannot tell the result from the target (${w.met ? "met" : "missed"} by the medians): the fixed cost fits in the allowance and the rest is within the noise of this shared machine`
    : w.met
      ? ""
      : `: beyond the import, the extra modules' trip through Vite's plugin chain is what the target does not leave room for`;
  return `${parts} The paired per-run ratios have a median of ${fix(w.paired)}×${verdict}.`;
}

/**
 * The latency case: for each cold build, what it adds over a warm one against the request floor,
 * split by the replica's request log into before, during and after the requests.
 */
function latencyLimits(figures: Figure[]): string | undefined {
  const warm = med(find(figures, "latency", "warm build"));
  if (Number.isNaN(warm)) return undefined;
  const undiciRatio = med(find(figures, "latency", "undici alone / its request floor"));
  const cases = (["cold, no lockfile", "cold, lockfile + empty cache"] as const).map((what) => {
    const ratioRow = find(figures, "latency", `${what}: adds / floor`);
    const floorRow = find(figures, "latency", `${what}: request floor`);
    const requests = med(find(figures, "latency", `${what}: replica requests`));
    const connections = Number(/ceil\(\d+ \/ (\d+)\)/.exec(floorRow?.label ?? "")?.[1] ?? Number.NaN);
    const before = med(find(figures, "latency", `${what}: build start`));
    const during = med(find(figures, "latency", `${what}: first request`));
    const after = med(find(figures, "latency", `${what}: last answer`));
    const floor = med(floorRow);
    const met = ratioRow?.target ? meets(med(ratioRow), ratioRow.target) : true;
    const roundTrips = Math.ceil(requests / connections);
    const perRound = during / roundTrips;
    return (
      `${what}: adds ${fix(med(ratioRow))}× its ${fix(floor, 0)} ms floor (${fix(requests, 0)} requests), ${met ? "within" : "over"} the ${ratioRow?.target?.value}× target. ` +
      `Its first request left ${fix(before, 0)} ms after the build started (a whole warm build takes ${fix(warm, 0)} ms), the requests took ${fix(during, 0)} ms (${fix(perRound, 0)} ms a round trip where the link costs ${fix(floor / roundTrips, 0)}), and ${fix(after, 0)} ms followed the last answer`
    );
  });
  return (
    `**Latency:** ${cases.join("; ")}. ` +
    `undici alone fetching the same files over the same connections needs ${fix(undiciRatio)}× its floor, process start included: each round costs the stack's own per-request work on top of the round trip, on two shared cores, so that ratio is the floor of any Node client here. ` +
    `The client pipelines two requests per connection, so its requests can take fewer round trips than the floor counts; what a cold build adds beyond them is loading the HTTP stack (~20 ms of one core; warm builds never load it) and, after the last answer, storing the bodies and bundling the files, which a warm build does from the cache. A cold build (no lockfile, or one naming a file the cache lacks) starts its downloads in \`buildStart\`: it loads the stack and scans the folders of its entries for \`oga:\` imports (src/project/fetch-ahead.ts), so each page is requested as soon as the scan finds it and each file the moment its page is parsed, and the page parser loads while the first pages are on their way; the imports join those transfers when the bundler reaches them. Before that, the files of a build without a lockfile left only once every page was parsed (about 1.2–1.45× the floor over several runs) and an import deep in the graph waited for every module above it. Loading the stack is synchronous work on the main thread (~20–30 ms), so the first request still leaves about when the bundler would have reached the imports of this one-level game; the gain is in the pages and files overlapping. With a lockfile the first ten requests (five connections, two pipelined on each) leave together and the other ten about two round trips later, since a connection answers its pipelined requests in turn: the requests, not the plugin's work around them, are most of what a cold build adds. That figure is taken against the warm build, so every millisecond a warm build saves (the plugin's import, say) shows up as more added by a cold build whose requests did not change: compare the split figures, and a noisy warm median moves both ratios directly.`
  );
}

/**
 * The `vite build` gap split between a fixed part and a part per file, from the two game sizes
 * (a straight line through them), against what 5 % of the local build allows per file.
 */
function perFileGap(figures: Figure[], sizes: string[]): string {
  if (sizes.length < 2) return "";
  const [small, large] = [Number(sizes[0]), Number(sizes[sizes.length - 1])];
  const at = (n: number, kind: "oga" | "local") => med(find(figures, "warm", `vite build process, ${n} files: ${kind}`));
  const gapSmall = at(small, "oga") - at(small, "local");
  const gapLarge = at(large, "oga") - at(large, "local");
  const perFile = (gapLarge - gapSmall) / (large - small);
  const localPerFile = (at(large, "local") - at(small, "local")) / (large - small);
  if (![perFile, localPerFile].every(Number.isFinite)) return "";
  const fixed = gapSmall - small * perFile;
  return (
    `Between ${small} and ${large} files the gap grew by ${fix(perFile, 3)} ms a file${fixed > 0 ? `, on ${fix(fixed, 0)} ms fixed` : ""}, where 5 % of the local build's ${fix(localPerFile, 2)} ms a file allows ${fix(0.05 * localPerFile, 3)} ms: ` +
    "what the larger game misses by is per file, and in a process that builds once every file's share of the plugin runs as cold code, several times slower than the warmed code of the in-process rows. " +
    "CPU profiles of fresh `vite build` processes at 200 files (8 of them, on this machine's loaded cores, so in proportions) put the plugin's own main-thread time at about 40 ms a build (56 ms before the stamp sets): the cache's check of each blob about 15 % (a stat per blob, most of it, which is what detects a modified or missing file; the stamps it compares against come from one record, the project's stamp set in src/store/stamp-sets.ts, where each blob's stamp file used to be read), reading and checking the lockfile about 15 % (`JSON.parse` is a sixth of it; the rest, every field validated and each URL parsed, is spread over the readers of lockfile-fields.ts, none above 2 %), the credits files about 10 %, the declarations' check about 5 %; the rest is spread over the modules' own code. " +
    "What the process rows cannot resolve is mostly not the plugin's: `perf` on identical `vite build` runs of either game shows the kernel zeroing fresh huge pages for Rolldown's allocator (`clear_page_erms`) taking from 60 to 300 ms of CPU from one run to the next (124 to 624 samples at 2 kHz), and letting that allocator keep its freed memory (`MIMALLOC_PURGE_DELAY=-1`) saved 180–250 ms of CPU in both games: a cost both games pay, whose swing between runs is several times the 5 % the target allows, which is why these rows take twice the runs."
  );
}

/**
 * The warm build as the user runs it (`vite build` processes at each size) and the plugin's own
 * code per file: what each says and what limits it.
 */
function warmAsRun(figures: Figure[]): string | undefined {
  const sizes = (figures.find((f) => f.id === "warm")?.rows ?? [])
    .map((r) => /^vite build process, (\d+) files: ratio oga \/ local/.exec(r.label)?.[1])
    .filter((n): n is string => n !== undefined);
  const perFile = find(figures, "warm", "plugin time per file");
  if (!sizes.length && !perFile) return undefined;
  const process = sizes.map((n) => {
    const row = find(figures, "warm", `vite build process, ${n} files: ratio oga / local`)!;
    const oga = med(find(figures, "warm", `vite build process, ${n} files: oga`));
    const local = med(find(figures, "warm", `vite build process, ${n} files: local`));
    const met = row.target ? meets(med(row), row.target) : true;
    return `${n} files: ${fix(oga, 0)} against ${fix(local, 0)} ms, ${fix(med(row), 3)}× (${met ? "met" : "missed"})`;
  });
  const importMs = med(find(figures, "warm", "oga: importing the plugin"));
  const bundlerOga = med(find(figures, "warm", "bundler JS time per build, in process (profiled): oga"));
  const bundlerLocal = med(find(figures, "warm", "bundler JS time per build, in process (profiled): local"));
  const lines = [
    process.length ? `**Warm build as run:** \`vite build\` as a process, oga against the same game from local files, ${process.join("; ")}, against the ≤ 1.05× target.` : "",
    perFile ? `The plugin's own code took ${fix(med(perFile), 3)} ms per file in a warm build (CPU profile, target ≤ ${perFile.target?.value} ms: ${perFile.target && meets(med(perFile), perFile.target) ? "met" : "missed"}).` : "",
    !Number.isNaN(importMs) ? `What limits the small game is fixed: importing the plugin (${fix(importMs, 0)} ms for the bundled entry and the one chunk it loads; tsc's ~50 module files took about twice as long) is most of a 5 % allowance on a build of a few hundred ms, and shrinks to nothing in proportion as the game grows. A warm build regenerates no declarations (a record of their inputs and of the file's hash says they are current; generating them cost ~5 ms at 40 files and ~15 ms at 200 in a fresh process) and loads no code for them.` : "",
    perFileGap(figures, sizes),
    !Number.isNaN(bundlerOga) && !Number.isNaN(bundlerLocal) ? `The bundler's own JavaScript took ${fix(bundlerOga, 0)} ms per oga build against ${fix(bundlerLocal, 0)} ms for the local one. Profiles of repeated builds place that difference in Vite's asset loading (\`resolveBuiltAsset\`: reading each blob and handing it to Rolldown's native \`emitFile\`), which the local game runs for the same 200 files: its time per build swings between about 25 and 100 ms in both games with what Rolldown's threads and the other processes on the two cores are doing, and in repeated in-process builds the same 200 blobs imported as absolute \`?url\` paths straight from the entry cost what the local files cost, while 50 bare virtual modules importing them came out between the two, within that noise. So the cache paths outside the root cost nothing measurable, and the plugin's hooks run only on \`oga:\` ids and sources that mention \`oga:\` (hook filters). Having Vite load each blob from inside the plugin's \`load\` (which bounds the blobs read at once) measured no slower in repeated builds, but in a fresh process each such \`this.load\` costs ~70 µs of the main thread, so a build leaves its first 128 blobs to the bundler, as it does local imports.` : "",
  ];
  return lines.filter(Boolean).join(" ");
}

export function analysis(figures: Figure[]): string {
  const parts: string[] = [];
  const latency = latencyLimits(figures);
  if (latency) parts.push(latency);

  const warmRatio = find(figures, "warm", "ratio oga / local");
  if (warmRatio) {
    const ratio = med(warmRatio);
    const cpu = med(find(figures, "warm", "CPU ratio"));
    const paired = summarize(find(figures, "warm", "ratio per run")?.samples ?? []);
    const met = warmRatio.target ? meets(ratio, warmRatio.target) : true;
    const ogaModules = med(find(figures, "warm", "modules in the graph, oga"));
    const localModules = med(find(figures, "warm", "modules in the graph, local"));
    const importMs = med(find(figures, "warm", "oga: importing the plugin"));
    const ogaMs = med(find(figures, "warm", "oga: build"));
    const localMs = med(find(figures, "warm", "reference: same files"));
    const budget = localMs * ((warmRatio.target?.value ?? 1) - 1);
    parts.push(
      `**Warm build:** ${fix(ratio, 3)}× the local build by wall time and ${fix(cpu, 3)}× by CPU time (all threads), ${met ? "within" : "over"} the ${warmRatio.target?.value}× target; the paired per-run ratios ranged ${fix(paired.min)}–${fix(paired.max)}, so on this machine a single pair of builds says little and the medians carry the result. ` +
        `The oga graph holds ${fix(ogaModules, 0)} modules against ${fix(localModules, 0)} for the local game: one virtual module per \`oga:\` specifier, which imports its blobs' \`?url\` modules itself, exactly as a local import would (no module per file). The cache costs one stat per file and one read of the project's stamp set per build, and the network stack and HTML parsers are not loaded at all when the lockfile and cache answer (\`test/lazy-imports.test.ts\`).` +
        warmRemainder({ met, ratio, target: warmRatio.target?.value ?? Number.NaN, importMs, ogaMs, localMs, budget, extraModules: ogaModules - localModules, paired: med(find(figures, "warm", "ratio per run")) }),
    );
  }
  const asRun = warmAsRun(figures);
  if (asRun) parts.push(asRun);
  const cold = downloadGap(figures, "cold", "Cold fetch");
  if (cold) parts.push(cold);
  const large = downloadGap(figures, "large", "Large file");
  if (large) parts.push(`${large} ${largeFileLimits(figures)}`);
  const dev = find(figures, "dev", "ratio oga / local");
  if (dev) {
    parts.push(
      `**Dev server:** the first \`oga:\` asset arrived after ${fix(med(find(figures, "dev", "oga: first")), 0)} ms, ${fix(med(dev))}× a local asset (${fix(med(find(figures, "dev", "reference: first")), 0)} ms); the difference is loading the plugin, reading the lockfile and the asset's virtual module between the entry and the file. Both walks end at the same file (the local game imports each asset's files in the order an \`oga:\` module does); until they did, the oga walk fetched a 5.6 MB track where the local one fetched a sprite of a few kB, and showed about 1.5×, most of it the measuring client reading the larger body.`,
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
