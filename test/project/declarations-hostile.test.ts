/**
 * Property test: file names, zip entry names, titles, authors and globs built from a hostile
 * alphabet (quotes, backticks, `${`, comment ends, `#%?`, line breaks, U+2028, control characters,
 * `__proto__`, several `*`) never inject anything into the generated declarations. Each run
 * writes many names into one declarations file and checks, with TypeScript 5's parser, that it
 * declares nothing but `declare module "…"` blocks of the expected shapes, that every file name
 * comes back unchanged from its string literal, and that `tsc` (TypeScript 5 and 7,
 * `skipLibCheck: false`) reports nothing. `tsc` is slow, so the runs are few and wide.
 */
import { createRequire } from "node:module";
import { rm, writeFile } from "node:fs/promises";
import path from "node:path";
import fc from "fast-check";
import type * as TS from "typescript5";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateDeclarations } from "../../src/project/declarations.js";
import { fileSpecifier, parseSpecifier } from "../../src/project/specifier.js";
import type { Lockfile, LockedAsset, LockedFile } from "../../src/store/lockfile.js";
import { diagnosticsByFile, makeProject, tsc, TYPESCRIPT_VERSIONS } from "../plugin/helpers.js";

// TypeScript 7 has no JS API; TypeScript 5's parser reads the file the way both compilers do.
const ts = createRequire(import.meta.url)("typescript5") as typeof TS;

const HOSTILE_PIECES = [
  '"', "'", "`", "${", "}", "{", "*/", "/*", "*", "**", "#", "%", "?", "&", "\\", "\n", "\r\n", "\u2028", "\u2029",
  "\u0000", "\u0007", "\u001b[31m", "\u007f", "\ud800", "__proto__", "constructor", " declare var INJECTED: string; ",
  "a", "Z", "é", "😀", " ", ".", "-", "_", "(1)", "[v2]", ".wav", ".zip", "/",
];
const hostileText = fc.array(fc.constantFrom(...HOSTILE_PIECES), { minLength: 1, maxLength: 8 }).map((pieces) => pieces.join(""));
/** A name the site could show for a file: no `/` (a file name is one URL segment). */
const fileName = hostileText.map((s) => s.replaceAll("/", "")).filter((s) => s.length > 0);
const assetId = fc.constantFrom("battle-theme-a", "x", "tiles-2", "__proto__", "constructor", "ünï-cödé");

interface Generated {
  lock: Lockfile;
  /** Every file or entry path per asset id, as the lock has it. */
  paths: Map<string, string[]>;
}

const lockArbitrary: fc.Arbitrary<Generated> = fc
  .uniqueArray(
    fc.record({
      id: assetId,
      title: hostileText,
      author: hostileText,
      files: fc.uniqueArray(fileName, { minLength: 1, maxLength: 12 }),
      zip: fc.option(fc.record({ name: fileName.map((n) => `${n}.zip`), entries: fc.uniqueArray(hostileText, { minLength: 1, maxLength: 6 }) })),
      globs: fc.array(hostileText.map((s) => `${s}*${s.slice(0, 2)}**`), { maxLength: 4 }),
    }),
    { minLength: 1, maxLength: 4, selector: (a) => a.id },
  )
  .map((assets) => {
    const lock: Lockfile = { version: 1, assets: Object.create(null) as Record<string, LockedAsset>, specifiers: [] };
    const paths = new Map<string, string[]>();
    for (const a of assets) {
      const files: Record<string, LockedFile> = Object.create(null) as Record<string, LockedFile>;
      for (const name of a.files) files[name] = { url: "https://opengameart.org/sites/default/files/x", size: 1 };
      if (a.zip && !(a.zip.name in files)) {
        const entries = Object.fromEntries(a.zip.entries.filter((e) => e && !e.startsWith("/")).map((e) => [e, { size: 1, sha256: "0".repeat(64) }]));
        files[a.zip.name] = { url: "https://opengameart.org/sites/default/files/x.zip", size: 1, sha256: "1".repeat(64), entries };
      }
      lock.assets[a.id] = { pageUrl: `https://opengameart.org/content/${a.id}`, title: a.title, author: { name: a.author, url: null }, licenses: [a.title], attribution: a.author, type: null, main: a.files[0]!, files };
      const specifiers = [`oga:${a.id}`, ...Object.keys(files).map((f) => fileSpecifier(a.id, f)), ...a.globs.map((g) => fileSpecifier(a.id, g))];
      lock.specifiers.push(...specifiers.filter(parses));
      paths.set(a.id, Object.entries(files).flatMap(([name, f]) => [name, ...Object.keys(f.entries ?? {}).map((e) => `${name}/${e}`)]));
    }
    lock.specifiers.sort();
    return { lock, paths };
  });

function parses(specifier: string): boolean {
  try {
    parseSpecifier(specifier);
    return true;
  } catch {
    return false;
  }
}

/** The `declare module` blocks of `text`, failing on any other statement or member shape. */
function declaredModules(text: string): Map<string, TS.ModuleDeclaration> {
  const source = ts.createSourceFile("oga-env.d.ts", text, ts.ScriptTarget.Latest, true);
  const modules = new Map<string, TS.ModuleDeclaration>();
  for (const statement of source.statements) {
    if (!ts.isModuleDeclaration(statement) || !ts.isStringLiteral(statement.name)) throw new Error(`unexpected statement: ${statement.getText().slice(0, 80)}`);
    const body = statement.body;
    if (!body || !ts.isModuleBlock(body)) throw new Error(`module without a block: ${statement.name.text}`);
    for (const member of body.statements) {
      const ok = ts.isVariableStatement(member) || (ts.isExportAssignment(member) && !member.isExportEquals && ts.isIdentifier(member.expression));
      if (!ok) throw new Error(`unexpected member in ${JSON.stringify(statement.name.text)}: ${member.getText().slice(0, 80)}`);
    }
    modules.set(statement.name.text, statement);
  }
  // Comments are ours alone: the header and the fixed JSDoc of asset modules.
  const comments: string[] = [];
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, ts.LanguageVariant.Standard, text);
  for (let token = scanner.scan(); token !== ts.SyntaxKind.EndOfFileToken; token = scanner.scan()) {
    if (token === ts.SyntaxKind.SingleLineCommentTrivia || token === ts.SyntaxKind.MultiLineCommentTrivia) comments.push(scanner.getTokenText());
  }
  for (const comment of comments) expect(comment).toMatch(/^\/\/ [ -~]*$|^\/\*\* URL of the main file\. \*\/$/);
  return modules;
}

/** The property names of the `files` record of an asset module, as TypeScript reads them. */
function recordKeys(declaration: TS.ModuleDeclaration): string[] {
  const keys: string[] = [];
  const visit = (node: TS.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === "files" && node.type && ts.isTypeLiteralNode(node.type)) {
      for (const member of node.type.members) if (member.name && ts.isStringLiteral(member.name)) keys.push(member.name.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(declaration);
  return keys.sort();
}

let root: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ root, cleanup } = await makeProject("create-vite"));
  // Only the generated file matters here: no DOM or vite/client to check on every run.
  const tsconfig = { compilerOptions: { target: "es2023", module: "esnext", moduleResolution: "bundler", lib: ["ES2023"], types: [], strict: true, noEmit: true }, include: ["src"] };
  await writeFile(path.join(root, "tsconfig.json"), JSON.stringify(tsconfig));
  await rm(path.join(root, "src/counter.ts"));
  await writeFile(path.join(root, "src/main.ts"), "export {};\n");
});
afterAll(() => cleanup?.());

describe("declarations from hostile names", () => {
  it("declare only the expected modules, round-trip every name, and compile on TypeScript 5 and 7 with skipLibCheck false", async () => {
    await fc.assert(
      fc.asyncProperty(lockArbitrary, async ({ lock, paths }) => {
        const text = generateDeclarations(lock);
        expect(text).not.toMatch(/\r|\u2028|\u2029/);
        const modules = declaredModules(text);
        const ids = new Set(lock.specifiers.map((s) => parseSpecifier(s)).flatMap((p) => (p.kind === "credits" ? [] : [p.id])));
        for (const name of modules.keys()) {
          expect([...ids].some((id) => name === `oga:${id}` || name.startsWith(`oga:${id}/`)), name).toBe(true);
          expect((name.match(/\*/g) ?? []).length, name).toBeLessThanOrEqual(1);
        }
        for (const id of ids) {
          const asset = modules.get(`oga:${id}`);
          expect(asset, id).toBeDefined();
          expect(recordKeys(asset!)).toEqual(Object.keys(lock.assets[id]!.files).sort());
          // Every path an import can name as one file has its own module.
          for (const p of paths.get(id)!) {
            const spec = fileSpecifier(id, p);
            let single = false;
            try {
              const parsed = parseSpecifier(spec);
              single = parsed.kind === "file" && parsed.file === p;
            } catch {
              single = false;
            }
            if (single && !p.includes("/")) expect(modules.has(spec), spec).toBe(true);
          }
        }
        await writeFile(path.join(root, "src/oga-env.d.ts"), text);
        for (const version of TYPESCRIPT_VERSIONS) {
          const result = await tsc(root, { version, skipLibCheck: false });
          expect([...diagnosticsByFile(result.output)], `TypeScript ${version}`).toEqual([]);
          expect(result.ok, `TypeScript ${version}: ${result.output}`).toBe(true);
        }
      }),
      { numRuns: 6 },
    );
  }, 120_000);
});
