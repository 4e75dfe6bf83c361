/**
 * `oga search`: one line per result (`<id> <title>`), written as each page arrives so
 * `oga search … | cut -d" " -f1 | xargs -n1 oga download` starts downloading before the search
 * ends. Flag names and values are the Python `oga` CLI's.
 */
import type { SearchFilters, SearchResult, SortBy, TagOperation } from "../site/types.js";
import { DEFAULT_SEARCH_DELAY_SECONDS } from "../site/search-query.js";
import { ART_TYPES, LICENSES } from "../site/vocabulary.js";
import type { CliCommand } from "./command.js";
import { writeLine } from "./io.js";
import {
  choice,
  CliUsageError,
  optionalNonNegativeNumber,
  optionalPositiveInteger,
  optionalString,
  stringList,
  type OptionBag,
} from "./options.js";

const SORT_BY: readonly SortBy[] = ["favorites", "created", "views", "relevance"];
/** The Python CLI spelled `not empty` with a dash so it needs no quoting in a shell. */
const TAG_OPS = ["or", "and", "not", "empty", "not-empty"] as const;
const TYPE_SLUGS = ART_TYPES.map((t) => t.slug);
/** Only licenses whose search term id is known can be filtered on. */
const SEARCHABLE_LICENSES = LICENSES.filter((l) => l.termId !== null);
const LICENSE_SLUGS = SEARCHABLE_LICENSES.map((l) => l.slug);

/** Turns the search flags into library filters, rejecting bad values with the allowed list. */
export function searchFilters(options: OptionBag): SearchFilters {
  const filters: SearchFilters = {};
  const keys = optionalString(options, "keys", "--keys");
  const title = optionalString(options, "title", "--title");
  const submitter = optionalString(options, "submitter", "--submitter");
  const sortBy = optionalString(options, "sortBy", "--sort-by");
  const tagOp = optionalString(options, "tagOp", "--tag-op");
  const pageLimit = optionalPositiveInteger(options, "pageLimit", "--page-limit");
  const itemsPerPage = optionalPositiveInteger(options, "itemsPerPage", "--items-per-page");
  if (keys !== undefined) filters.keys = keys;
  if (title !== undefined) filters.title = title;
  if (submitter !== undefined) filters.submitter = submitter;
  if (sortBy !== undefined) filters.sortBy = choice(sortBy, "--sort-by", SORT_BY);
  if (filters.sortBy === "relevance" && keys === undefined) {
    throw new CliUsageError(`--sort-by relevance needs --keys (words to rank by); without them use favorites, created or views`);
  }
  if (options.ascending === true) filters.descending = false;
  const types = stringList(options, "type", "--type").map((t) => choice(t, "--type", TYPE_SLUGS));
  if (types.length > 0) filters.types = types;
  const licenses = stringList(options, "license", "--license").map((l) => choice(l, "--license", LICENSE_SLUGS));
  if (licenses.length > 0) filters.licenses = licenses;
  const tags = stringList(options, "tag", "--tag");
  if (tags.length > 0) filters.tags = tags;
  if (tagOp !== undefined) {
    const op = choice(tagOp, "--tag-op", TAG_OPS);
    filters.tagOperation = (op === "not-empty" ? "not empty" : op) satisfies TagOperation;
  }
  if (pageLimit !== undefined) filters.pageLimit = pageLimit;
  if (itemsPerPage !== undefined) filters.itemsPerPage = itemsPerPage;
  return filters;
}

/** `--delay`, else `OGA_SEARCH_DELAY`, else `undefined` (the library's default). */
function searchDelay(options: OptionBag, env: NodeJS.ProcessEnv): number | undefined {
  const flag = optionalNonNegativeNumber(options, "delay", "--delay");
  if (flag !== undefined) return flag;
  const fromEnv = env.OGA_SEARCH_DELAY?.trim();
  return fromEnv ? optionalNonNegativeNumber({ delay: fromEnv }, "delay", "OGA_SEARCH_DELAY") : undefined;
}

export function resultLine(result: SearchResult, json: boolean): string {
  return json ? JSON.stringify(result) : `${result.id} ${result.title}`;
}

export const searchCommand: CliCommand = {
  spec: "search",
  description: "Search assets; prints `<id> <title>` per result as pages arrive",
  configure(command) {
    command
      .usage("search [options]")
      .option("--keys <words>", "Words anywhere on the page")
      .option("--title <words>", "Words in the title")
      .option("--submitter <name>", "Submitter name begins with or contains this")
      .option("--sort-by <order>", `Sort by ${SORT_BY.join("|")} (relevance needs --keys; default favorites)`)
      .option("--ascending", "Smallest first (default: largest first)")
      .option("--type <type>", `Art type, repeatable: ${TYPE_SLUGS.join("|")}`)
      .option("--license <license>", `License, repeatable: ${LICENSE_SLUGS.join("|")}`)
      .option("--tag <tag>", "Tag, repeatable; combined by --tag-op")
      .option("--tag-op <op>", `How tags combine: ${TAG_OPS.join("|")} (default or)`)
      .option("--page-limit <n>", "Stop after this many result pages")
      .option("--items-per-page <n>", "Results per page request (the site's own form offers 24 or 48; default 144, as the Python oga asked)")
      .option("--json", "One JSON object per result (NDJSON)")
      .option("--delay <seconds>", `Pause between result pages, to be gentle with the site (env OGA_SEARCH_DELAY, default ${DEFAULT_SEARCH_DELAY_SECONDS})`)
      .example("  $ oga search --type music --license cc0 --tag battle --page-limit 1")
      .example(`  $ oga search --submitter xmo | cut -d" " -f1 | xargs -n1 oga download`);
  },
  async run(context, _args, options) {
    const filters = searchFilters(options);
    const json = options.json === true;
    const delay = searchDelay(options, context.io.env);
    const client = context.client(delay === undefined ? {} : { searchDelaySeconds: delay });
    for await (const result of client.search(filters)) {
      await writeLine(context.io.stdout, resultLine(result, json));
    }
  },
};
