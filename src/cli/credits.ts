/**
 * `oga credits [root]`: the credits of a project from its lockfile alone (no network), in the
 * same Markdown, JSON, text or CSV a build writes. The lockfile holds every asset the project has
 * resolved, so this lists those; a build's `CREDITS.md` lists only what its bundle holds.
 */
import { OgaError } from "../errors.js";
import { creditsForAssets, formatCredits, type CreditsFormat } from "../project/credits.js";
import { pinnedFiles } from "../project/credits-csv.js";
import { createLicensePolicy } from "../project/license-policy.js";
import { readExistingLockfile } from "../project/lock-maintenance.js";
import { own } from "../project/own-key.js";
import type { CliCommand } from "./command.js";
import { writeLines } from "./io.js";
import { choice, optionalString, stringList } from "./options.js";
import { addProjectOptions, projectOptions } from "./project.js";

const FORMATS: readonly CreditsFormat[] = ["md", "json", "text", "csv"];

export const creditsCommand: CliCommand = {
  spec: "credits [root]",
  description: "Print a project's credits from its lockfile (no network)",
  configure(command) {
    addProjectOptions(command, { dts: false })
      .option("--format <format>", "md, json, text or csv (LPC CREDITS.csv columns, a row per file the lockfile pins; default md)")
      .option("--license <name>", "Allowed license, in preference order like the plugin's `licenses` (repeatable)")
      .example("  $ oga credits > CREDITS.md")
      .example("  $ oga credits --format json | jq -r '.[].text'")
      .example("  $ oga credits --format csv > CREDITS.csv")
      .example('  $ oga credits --license CC0 --license "CC-BY 4.0"');
  },
  async run(context, [root], options) {
    const format = choice(optionalString(options, "format", "--format") ?? "md", "--format", FORMATS);
    const licenses = stringList(options, "license", "--license");
    // Checked before reading anything: a typo in a license name is a usage error (exit 2).
    const policy = createLicensePolicy(licenses.length ? licenses : undefined, "allow one of its licenses with another --license");
    const resolved = projectOptions(context, options, root);
    const lock = await readExistingLockfile(resolved.lockfile);
    // Name every refused asset at once, not just the first, so one run tells the whole story.
    const refused = Object.entries(lock.assets).flatMap(([id, asset]) => {
      try {
        policy.choose(id, asset.licenses);
        return [];
      } catch (error) {
        return [(error as Error).message];
      }
    });
    if (refused.length) throw new OgaError("OGA_LICENSE", refused.join(" "));
    const credits = creditsForAssets(Object.keys(lock.assets), (id) => own(lock.assets, id), policy);
    const text = formatCredits(credits, format, (id) => pinnedFiles(own(lock.assets, id)!));
    // Page text in credits has no controls left (credits.ts drops them); CSV's own `\r` must pass.
    await writeLines(context.io.stdout, text, format === "csv" ? "\r" : "");
  },
};
