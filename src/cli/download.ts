/**
 * `oga download <id>`: fetch an asset's files into the shared cache and print their paths, one
 * per line on stdout; how each file was obtained goes to stderr.
 */
import type { CliCommand } from "./command.js";
import { say, writeLine } from "./io.js";
import { extractArchive } from "./archive-contents.js";
import { isArchiveName } from "../store/archive-limits.js";
import path from "node:path";
import { optionalString, stringList } from "./options.js";
import { OutputNames } from "./output-names.js";
import { outputPath, placeFile } from "./place-file.js";
import { createProgressReporter, reportFile } from "./progress.js";
import { TransferTally } from "../project/transfer-tally.js";

export const downloadCommand: CliCommand = {
  spec: "download <id>",
  description: "Download an asset's files into the cache and print their paths",
  configure(command) {
    command
      .option("--out <dir>", "Also place the files in <dir>/<id>/<name> (hard link when possible, else copy)")
      .option("--extract", "Unpack zip files: their entries (zips inside included) go to <dir>/<id>/<zip name>/<entry> with --out, else their cached paths are printed")
      .option("--file <name>", "Only this file (repeatable); default every file of the asset")
      .example("  $ oga download battle-theme-a")
      .example("  $ oga download battle-theme-a --out assets --file battleThemeA.mp3")
      .example("  $ oga download imminent-threat --out assets --extract")
      .example(`  $ oga search --type music --page-limit 1 | cut -d" " -f1 | xargs -n1 oga download`);
  },
  async run(context, [id], options) {
    const { io } = context;
    const out = optionalString(options, "out", "--out");
    const files = stringList(options, "file", "--file");
    const client = context.client();
    const asset = await client.describe(id!);
    // Not an error: `xargs -n1 oga download` over search results must go on past an empty asset.
    if (asset.files.length === 0 && !asset.filesUnavailable) say(io, `${asset.id}: the page lists no files`);
    const progress = createProgressReporter(io);
    const tally = new TransferTally();
    let cached;
    try {
      cached = await client.download(asset, {
        ...(files.length > 0 && { files }),
        onProgress: (p) => {
          tally.fileStarted({ asset: asset.id, name: p.file, size: p.totalBytes });
          progress.update(p);
        },
      });
    } finally {
      progress.stop();
    }
    const extract = options.extract === true;
    const names = new OutputNames();
    /** Where a file named `name` goes, told on stderr when another file of this run took that path. */
    const place = (wanted: string, name: string): string => {
      const target = names.claim(wanted);
      if (target !== wanted) say(io, `${JSON.stringify(name)} would overwrite ${path.basename(wanted)}, written for another file of this download (the names differ only in characters a file name cannot hold, in letter case, or past 200 bytes): writing it as ${path.basename(target)}`);
      return target;
    };
    for (const file of cached) {
      reportFile(io, file);
      if (extract && isArchiveName(file.name)) {
        const target = out === undefined ? undefined : path.dirname(outputPath(out, asset.id, file.name));
        for (const written of await extractArchive(client, file, target, place)) await writeLine(io.stdout, written);
        continue;
      }
      const shown = out === undefined ? file.path : place(outputPath(out, asset.id, file.name), file.name);
      if (out !== undefined) await placeFile(file.path, shown);
      await writeLine(io.stdout, shown);
    }
    for (const file of cached) tally.fileFinished({ asset: asset.id, name: file.name, size: file.size, transfer: file.transfer });
    if (cached.length > 0) say(io, tally.summary());
  },
};
