/**
 * Unit tests for the lockfile upkeep the CLI runs (`oga update`/`outdated`): the pure diff, and
 * the outdated probe for what the replica never does (a server without ETags, one that ignores
 * If-None-Match). The commands themselves are tested against the replica in test/cli.
 */
import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import type { OgaClient } from "../../src/client.js";
import type { FileResponse } from "../../src/site/http.js";
import type { Asset } from "../../src/site/types.js";
import { diffLockedAsset } from "../../src/project/lock-diff.js";
import { checkOutdated, selectLockedIds } from "../../src/project/lock-maintenance.js";
import { emptyLockfile, type LockedAsset, type Lockfile } from "../../src/store/lockfile.js";

const URL_A = "http://site.test/sites/default/files/a.ogg";
const sha = (text: string) => createHash("sha256").update(text).digest("hex");

const locked = (files: LockedAsset["files"], extra: Partial<LockedAsset> = {}): LockedAsset => ({
  pageUrl: "http://site.test/content/x",
  title: "X",
  author: { name: "Me", url: null },
  licenses: ["CC0"],
  attribution: "",
  type: "Music",
  main: "a.ogg",
  files,
  ...extra,
});

describe("diffLockedAsset", () => {
  it("reports metadata, added, removed and changed files; unknown fields are not changes", () => {
    const before = locked({
      "a.ogg": { url: URL_A, size: 10, etag: '"1"', sha256: sha("a") },
      "gone.wav": { url: "http://site.test/gone.wav", size: 1 },
      "never-downloaded.png": { url: "http://site.test/p.png", size: 5 },
    });
    const after = locked(
      {
        "a.ogg": { url: URL_A, size: 12, etag: '"2"' }, // what outdated learns: no sha256
        "new.wav": { url: "http://site.test/new.wav", size: 3 },
        "never-downloaded.png": { url: "http://site.test/p.png", size: 5, etag: '"x"', sha256: sha("p") },
      },
      { licenses: ["CC-BY 4.0"] },
    );
    const changes = diffLockedAsset("x", before, after);
    expect(changes.meta).toEqual([{ field: "licenses", before: ["CC0"], after: ["CC-BY 4.0"] }]);
    expect(changes.files.map((f) => [f.kind, f.name, f.kind === "changed" ? f.fields : []])).toEqual([
      ["changed", "a.ogg", ["size", "etag"]],
      ["removed", "gone.wav", []],
      ["added", "new.wav", []],
    ]);
    expect(diffLockedAsset("x", before, structuredClone(before))).toEqual({ id: "x", meta: [], files: [] });
  });

  it("a new collaborator or deed is a change; deeds in another key order or an absent empty list are not", () => {
    const deeds = { CC0: "http://creativecommons.org/publicdomain/zero/1.0/", "CC-BY 3.0": "http://creativecommons.org/licenses/by/3.0/" };
    const before = locked({}, { licenses: ["CC0", "CC-BY 3.0"], licenseUrls: deeds });
    const reordered = locked({}, { licenses: ["CC0", "CC-BY 3.0"], licenseUrls: { "CC-BY 3.0": deeds["CC-BY 3.0"], CC0: deeds.CC0 }, collaborators: [] });
    expect(diffLockedAsset("x", before, reordered).meta).toEqual([]);
    const withCoAuthor = locked({}, { licenses: ["CC0", "CC-BY 3.0"], licenseUrls: deeds, collaborators: [{ name: "Bart K.", url: "https://opengameart.org/users/bart" }] });
    expect(diffLockedAsset("x", before, withCoAuthor).meta).toEqual([{ field: "collaborators", before: undefined, after: [{ name: "Bart K.", url: "https://opengameart.org/users/bart" }] }]);
    const otherDeed = locked({}, { licenses: ["CC0", "CC-BY 3.0"], licenseUrls: { ...deeds, CC0: "https://creativecommons.org/publicdomain/zero/1.0/" } });
    expect(diffLockedAsset("x", before, otherDeed).meta.map((m) => m.field)).toEqual(["licenseUrls"]);
  });
});

describe("selectLockedIds", () => {
  it("returns all ids sorted, or the given ones; an unknown id names itself and the locked ones", () => {
    const lock: Lockfile = { ...emptyLockfile(), assets: { b: locked({}), a: locked({}) } };
    expect(selectLockedIds(lock, [], "oga.lock.json")).toEqual(["a", "b"]);
    expect(selectLockedIds(lock, ["b", "b"], "oga.lock.json")).toEqual(["b"]);
    expect(() => selectLockedIds(lock, ["a", "c", "d"], "oga.lock.json")).toThrow(`"c", "d" are not in oga.lock.json; locked assets: a, b.`);
  });
});

describe("checkOutdated probes", () => {
  const asset = (url: string): Asset =>
    ({ id: "x", pageUrl: "http://site.test/content/x", title: "X", author: { name: "Me", url: null }, collaborators: [], licenses: ["CC0"], licenseUrls: {}, attribution: "", type: "Music", files: [{ name: "a.ogg", label: "a.ogg", url, size: null }] }) as unknown as Asset;
  const client = { describe: async () => asset(URL_A) } as unknown as OgaClient;
  const answer = (status: 200 | 304, body: string, etag: string | null): FileResponse => ({
    status,
    url: URL_A,
    etag,
    lastModified: null,
    size: body.length,
    body: Readable.from([Buffer.from(body)]),
  });
  const lockWith = (file: LockedAsset["files"][string]): Lockfile => ({ ...emptyLockfile(), assets: { x: locked({ "a.ogg": file }) } });

  it("without a locked ETag, hashes the body in passing: same bytes are up to date, other bytes a new sha256", async () => {
    const lock = lockWith({ url: URL_A, size: 3, etag: null, sha256: sha("old") });
    const asked: (string | null | undefined)[] = [];
    const http = (body: string) => ({
      openFile: async (_url: string, options?: { etag?: string | null }) => {
        asked.push(options?.etag);
        return answer(200, body, null);
      },
    });
    const [same] = await checkOutdated(lock, ["x"], client, http("old"));
    expect(same).toEqual({ id: "x", meta: [], files: [], gone: false });
    const [changed] = await checkOutdated(lock, ["x"], client, http("newer"));
    expect(changed!.gone === false && changed!.files).toEqual([expect.objectContaining({ kind: "changed", name: "a.ogg", fields: ["size", "sha256"] })]);
    expect(asked).toEqual([null, null]);
  });

  it("a server that ignores If-None-Match but sends the same ETag is up to date", async () => {
    const lock = lockWith({ url: URL_A, size: 3, etag: '"e1"', sha256: sha("old") });
    const http = { openFile: async () => answer(200, "old", '"e1"') };
    const [report] = await checkOutdated(lock, ["x"], client, http);
    expect(report).toEqual({ id: "x", meta: [], files: [], gone: false });
  });
});
