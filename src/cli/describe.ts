/** `oga describe <id>`: what an asset page says, as a summary line, a file list or full JSON. */
import type { Asset, AssetFile } from "../site/types.js";
import type { CliCommand, CommandContext } from "./command.js";
import { formatSize, writeLine } from "./io.js";

/**
 * Lists what is inside a file (e.g. the members of a zip pack), or `null` when it cannot tell.
 * Nothing implements it yet; an archive reader can plug in here without touching the command.
 */
export type FileContentsLister = (file: AssetFile, context: CommandContext) => Promise<string[] | null>;

/** The summary line the Python `oga describe` printed: `<id> <type> (<n> favorites, <n> tags)`. */
export function summaryLine(asset: Asset): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  return `${asset.id} ${asset.type ?? "untyped"} (${plural(asset.favorites, "favorite")}, ${plural(asset.tags.length, "tag")})`;
}

/**
 * Who made it: `by <author>`, with the co-authors the page names (`by Bart K. with Eliza Wyatt,
 * Kenney`), and the submitter when someone uploaded it for the author.
 */
export function authorsLine(asset: Asset): string {
  const authors = asset.collaborators.length > 0 ? `${asset.author.name} with ${asset.collaborators.map((p) => p.name).join(", ")}` : asset.author.name;
  const submitter = asset.submitter.name && asset.submitter.name !== asset.author.name ? ` (submitted by ${asset.submitter.name})` : "";
  return `by ${authors || "(unknown)"}${submitter}`;
}

/** One line per file: name, size and downloads, tab-separated so names with spaces survive `cut -f1`. */
export function fileLine(file: AssetFile): string {
  const downloads = file.downloads === null ? "" : `\t${file.downloads} downloads`;
  return `${file.name}\t${formatSize(file.size)}${downloads}`;
}

export function describeCommand(hooks: { listContents?: FileContentsLister } = {}): CliCommand {
  return {
    spec: "describe <id>",
    description: "Show an asset: slug, /content/<slug> path or page URL",
    configure(command) {
      command
        .option("--json", "Print everything the page says as JSON")
        .option("--files", "List the asset's files (name, size, downloads)")
        .example("  $ oga describe battle-theme-a")
        .example("  $ oga describe battle-theme-a --files")
        .example("  $ oga describe https://opengameart.org/content/battle-theme-a --json");
    },
    async run(context, [id], options) {
      const asset = await context.client().describe(id!);
      const { stdout } = context.io;
      if (options.json === true) {
        await writeLine(stdout, JSON.stringify(asset, null, 2));
        return;
      }
      await writeLine(stdout, summaryLine(asset));
      await writeLine(stdout, authorsLine(asset));
      if (options.files !== true) return;
      if (asset.files.length === 0) {
        const why = asset.filesUnavailable ? "its files are withheld by the site (currently unavailable due to potential licensing issues)" : "no files";
        context.io.stderr.write(`${asset.id}: ${why}\n`);
      }
      for (const file of asset.files) {
        await writeLine(stdout, fileLine(file));
        const contents = hooks.listContents ? await hooks.listContents(file, context) : null;
        for (const entry of contents ?? []) await writeLine(stdout, `  ${entry}`);
      }
    },
  };
}
