import { createHash } from "node:crypto";
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { minimalAsset, zip, type ReplicaFile } from "../replica/index.js";
import { ANSI, lines, runOga, runShell, tempDir, useReplicaAndCache } from "./run-oga.js";

const { replica, cache, env } = useReplicaAndCache();
const FILES = "/sites/default/files/";

async function sha256Of(file: ReplicaFile): Promise<string> {
  const body = file.open();
  const hash = createHash("sha256");
  if (Buffer.isBuffer(body)) return hash.update(body).digest("hex");
  for await (const chunk of body as Readable) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

async function sha256OfPath(file: string): Promise<string> {
  return createHash("sha256").update(await readFile(file)).digest("hex");
}

/** Replica file behind a printed path: the last segment is the file's name. */
function replicaFile(slug: string, printed: string): ReplicaFile {
  const file = replica.catalogue.findFile(slug, path.basename(printed));
  if (!file) throw new Error(`no replica file for ${printed}`);
  return file;
}

describe("oga download", () => {
  it("prints one cache path per file; each holds the file's bytes", async () => {
    const asset = replica.catalogue.getAsset("imminent-threat")!;
    const run = await runOga(["download", "imminent-threat"], { env: env() });
    expect(run.code).toBe(0);
    const paths = lines(run.stdout);
    expect(paths).toHaveLength(asset.files.length);
    for (const printed of paths) {
      expect(printed.startsWith(cache.dir)).toBe(true);
      expect(await sha256OfPath(printed)).toBe(await sha256Of(replicaFile("imminent-threat", printed)));
    }
    // Plain lines on a pipe: one per file, no bar, no escapes.
    expect(lines(run.stderr)).toEqual([
      ...paths.map((p) => expect.stringMatching(new RegExp(`^downloaded ${escape(path.basename(p))} \\(`))),
      // One summary from the same tally as the plugin's log: the parts add up to the total.
      expect.stringMatching(new RegExp(`^${asset.files.length} files in [\\d.]+ s: ${asset.files.length} downloaded \\([\\d.]+ kB\\)$`)),
    ]);
    expect(run.stderr).not.toMatch(ANSI);
    expect(run.stderr).not.toContain("\r");
  });

  it("a second run transfers no bodies: only 304s, and says up to date per file", async () => {
    const asset = replica.catalogue.getAsset("imminent-threat")!;
    const first = await runOga(["download", "imminent-threat"], { env: env() });
    expect(first.code).toBe(0);
    replica.requests.reset();
    const second = await runOga(["download", "imminent-threat"], { env: env() });
    expect(second.code).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    const fileRequests = replica.requests.filter(FILES);
    expect(fileRequests).toHaveLength(asset.files.length);
    expect(fileRequests.map((r) => r.status)).toEqual(asset.files.map(() => 304));
    expect(lines(second.stderr)).toEqual([...asset.files.map(() => expect.stringMatching(/^up to date /)), `${asset.files.length} files: ${asset.files.length} unchanged on the site`]);
  });

  it("--out places the files in DIR/<id>/<name> and prints those paths", async () => {
    const out = await tempDir("oga-out-");
    try {
      const run = await runOga(["download", "battle-theme-a", "--out", out.dir], { env: env() });
      expect(run.code).toBe(0);
      const asset = replica.catalogue.getAsset("battle-theme-a")!;
      const expected = asset.files.map((f) => path.join(out.dir, "battle-theme-a", path.basename(f.path)));
      expect(lines(run.stdout)).toEqual(expected);
      for (const file of expected) expect(await sha256OfPath(file)).toBe(await sha256Of(replicaFile("battle-theme-a", file)));
      // Nothing but the files: temp names were renamed away.
      expect((await readdir(path.join(out.dir, "battle-theme-a"))).sort()).toEqual(expected.map((f) => path.basename(f)).sort());
      // Running again over existing (possibly hard-linked) files leaves them whole.
      const again = await runOga(["download", "battle-theme-a", "--out", out.dir], { env: env() });
      expect(again.code).toBe(0);
      expect((await readdir(path.join(out.dir, "battle-theme-a"))).sort()).toEqual(expected.map((f) => path.basename(f)).sort());
      for (const file of expected) expect((await stat(file)).size).toBe(replicaFile("battle-theme-a", file).size);
    } finally {
      await out.remove();
    }
  });

  it("--file downloads only the named files", async () => {
    replica.requests.reset();
    const run = await runOga(["download", "imminent-threat", "--file", "imminent_threat_loop.ogg", "--file", "Imminent Threat Collection.zip"], { env: env() });
    expect(run.code).toBe(0);
    expect(lines(run.stdout).map((p) => path.basename(p))).toEqual(["imminent_threat_loop.ogg", "Imminent Threat Collection.zip"]);
    expect(replica.requests.count(FILES)).toBe(2);
  });

  it("an unknown --file exits 1 listing the asset's files", async () => {
    const run = await runOga(["download", "battle-theme-a", "--file", "nope.mp3"], { env: env() });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^oga: .*nope\.mp3.*battleThemeA\.mp3/);
    expect(lines(run.stderr)).toHaveLength(1);
  });

  it("an asset whose files are withdrawn exits 1 saying so", async () => {
    const run = await runOga(["download", "withdrawn-tracks"], { env: env() });
    expect(run.code).toBe(1);
    expect(lines(run.stderr)).toEqual([expect.stringMatching(/^oga: withdrawn-tracks: its files are withheld by the site \(currently unavailable due to potential licensing issues, https:\/\/opengameart\.org\/content\/withdrawn-tracks\)$/)]);
  });

  it("draws a progress bar on a terminal, and plain lines there when CI is set", async () => {
    // util-linux `script` runs the command on a pseudo-terminal, so stderr.isTTY is true.
    const onTerminal = (extra: Record<string, string>) =>
      runShell(`script -qec '"$NODE" "$BIN" download tiny-sprites' /dev/null`, { env: { ...env(), ...extra } });
    const fresh = await tempDir();
    try {
      const bar = await onTerminal({ OGA_CACHE_DIR: fresh.dir });
      expect(bar.code).toBe(0);
      expect(bar.stdout).toMatch(/\d+\/3 files/);
      expect(bar.stdout).toMatch(ANSI);
      expect(bar.stdout).toMatch(/downloaded hero_16\.png \(/);
      const ci = await onTerminal({ OGA_CACHE_DIR: fresh.dir, CI: "true" });
      expect(ci.code).toBe(0);
      expect(ci.stdout).not.toMatch(ANSI);
      expect(ci.stdout).toMatch(/^up to date hero_16\.png /m);
    } finally {
      await fresh.remove();
    }
  });

  it("Ctrl-C aborts with exit 130 and leaves the cache valid for the next run", async () => {
    const hung = "/sites/default/files/musicpacks/";
    replica.faults.add({ path: hung, kind: "hang" });
    replica.requests.reset();
    const fresh = await tempDir();
    try {
      const run = await runOga(["download", "imminent-threat"], {
        env: { OGA_URL: replica.url, OGA_CACHE_DIR: fresh.dir },
        onSpawn: (child) => {
          const poll = setInterval(() => {
            if (replica.requests.count(hung) > 0) {
              clearInterval(poll);
              child.kill("SIGINT");
            }
          }, 20);
          child.on("close", () => clearInterval(poll));
        },
      });
      expect(run.code).toBe(130);
      expect(run.stderr).toMatch(/^oga: interrupted$/m);
      // The aborted transfer's temp file was removed, and every blob that is there is whole.
      expect(await readdir(path.join(fresh.dir, "tmp"))).toEqual([]);
      for (const sha of await readdir(path.join(fresh.dir, "files"))) {
        for (const name of await readdir(path.join(fresh.dir, "files", sha))) {
          expect(await sha256OfPath(path.join(fresh.dir, "files", sha, name))).toBe(sha);
        }
      }
      replica.faults.clear();
      const again = await runOga(["download", "imminent-threat"], { env: { OGA_URL: replica.url, OGA_CACHE_DIR: fresh.dir } });
      expect(again.code).toBe(0);
      for (const printed of lines(again.stdout)) {
        expect(await sha256OfPath(printed)).toBe(await sha256Of(replicaFile("imminent-threat", printed)));
      }
    } finally {
      await fresh.remove();
    }
  });
});

describe("oga download --out with names that become the same file", () => {
  it("writes every file, the later ones under numbered names, and says so; never loses one", async () => {
    // `:` and `?` cannot be in a file name (on Windows, and they are made `_` everywhere), and
    // Sound_1.wav is the same file as sound_1.wav on macOS and Windows.
    const bodies = { "sound:1.wav": "colon", "sound?1.wav": "question mark", "Sound_1.wav": "capital" };
    replica.catalogue.addAsset(
      minimalAsset("colliding-names", {
        files: [
          ...Object.entries(bodies).map(([name, body]) => ({ path: `colliding/${name}`, body: Buffer.from(body) })),
          { path: "colliding/pack.zip", body: zip([{ name: "dir/a:b.txt", data: Buffer.from("entry colon") }, { name: "dir/a?b.txt", data: Buffer.from("entry question mark") }]) },
        ],
      }),
    );
    const out = await tempDir("oga-out-");
    try {
      const run = await runOga(["download", "colliding-names", "--out", out.dir, "--extract"], { env: env() });
      expect(run.code, run.stderr).toBe(0);
      const dir = path.join(out.dir, "colliding-names");
      expect(lines(run.stdout)).toEqual([
        path.join(dir, "sound_1.wav"),
        path.join(dir, "sound_1 (2).wav"),
        path.join(dir, "Sound_1 (3).wav"),
        path.join(dir, "pack.zip", "dir", "a_b.txt"),
        path.join(dir, "pack.zip", "dir", "a_b (2).txt"),
      ]);
      const read = (...segments: string[]) => readFile(path.join(dir, ...segments), "utf8");
      expect([await read("sound_1.wav"), await read("sound_1 (2).wav"), await read("Sound_1 (3).wav")]).toEqual(["colon", "question mark", "capital"]);
      expect([await read("pack.zip", "dir", "a_b.txt"), await read("pack.zip", "dir", "a_b (2).txt")]).toEqual(["entry colon", "entry question mark"]);
      expect(run.stderr).toContain('"sound?1.wav" would overwrite sound_1.wav, written for another file of this download');
      expect(run.stderr).toContain("writing it as sound_1 (2).wav");
      expect(run.stderr).toContain('"Sound_1.wav" would overwrite Sound_1.wav');
      expect(run.stderr).toContain('"pack.zip/dir/a?b.txt" would overwrite a_b.txt');
    } finally {
      await out.remove();
    }
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
