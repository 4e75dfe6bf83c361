import type { Lockfile, LockedAsset, LockedFile } from "../store/lockfile.js";
import { emptyLockfile, formatLockfile, mergeLockfiles, readLockfile, updateLockfile, writeLockfile } from "../store/lockfile.js";
import { writeDeclarations } from "./declarations-file.js";
import { recordLockedEntry, type LockedEntry } from "../store/locked-entries.js";
import { nameRecord } from "../store/name-record.js";
import { own, setOwn } from "./own-key.js";

/**
 * The lockfile of one project as this process sees it: read once per build, changed in memory as
 * imports resolve, and written with read-merge-write (temp + rename) on `flush`. One session per
 * lockfile path per process, so a client and an SSR build of the same project share it.
 */
export class LockSession {
  lock: Lockfile = emptyLockfile();
  /** The text this session last wrote, to tell its own writes from a user's edit of the file. */
  lastWritten: string | undefined;
  private dirty = false;
  /** Set by {@link replace}: the next flush writes the lock as it is, not merged with the file. */
  private replacing = false;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    readonly file: string,
    private readonly dts: string | false,
    private readonly frozen: boolean,
    /** The cache directory, which keeps a record of the declarations written (see `declarations-file.ts`). */
    private readonly cacheDir?: string,
  ) {}

  /**
   * Re-reads the lockfile from disk (start of every build: the user may have edited it). What a
   * failed build left in memory is dropped with it.
   */
  async reload(): Promise<void> {
    await this.chain;
    this.lock = await readLockfile(this.file);
    this.dirty = false;
    this.replacing = false;
  }

  /**
   * Takes `lock` as the whole truth (what `oga update` decided): the next flush writes it as it
   * is, where a merge with the file would bring back pins and files the update dropped.
   */
  replace(lock: Lockfile): void {
    this.lock = lock;
    this.dirty = true;
    this.replacing = true;
  }

  asset(id: string): LockedAsset | undefined {
    return own(this.lock.assets, id);
  }

  setAsset(id: string, asset: LockedAsset): void {
    setOwn(this.lock.assets, id, asset);
    this.dirty = true;
  }

  setFile(id: string, name: string, file: LockedFile): void {
    const asset = this.asset(id);
    if (!asset) return;
    const before = own(asset.files, name);
    if (before && before.sha256 === file.sha256 && before.etag === file.etag && before.size === file.size && before.url === file.url) return;
    // Entries used from an archive stay recorded while the archive's bytes stay the same.
    setOwn(asset.files, name, before?.entries && before.sha256 === file.sha256 && !file.entries ? { ...file, entries: before.entries } : file);
    this.dirty = true;
  }

  /** Records an archive entry a build used: `chain` is the entry path per archive level, outermost first. */
  setEntry(id: string, name: string, chain: readonly string[], entry: { size: number; sha256: string }): void {
    const file = own(this.asset(id)?.files, name);
    if (!file) return;
    const entries = file.entries ?? nameRecord<LockedEntry>();
    if (!recordLockedEntry(entries, chain, entry)) return;
    file.entries = entries;
    this.dirty = true;
  }

  addSpecifier(specifier: string): void {
    if (this.lock.specifiers.includes(specifier)) return;
    this.lock.specifiers = [...this.lock.specifiers, specifier].sort();
    this.dirty = true;
  }

  /**
   * Writes the lockfile (unless frozen or unchanged) and the declarations (when enabled and
   * different from disk), both whole (temp + rename). Call it only when what the session holds is
   * worth keeping: a build calls it once its bundle is complete, never after a failure, and the
   * dev server after imports resolve. With `neverShrink` (the dev server) the declarations keep
   * every module the file on disk declares. Calls are serialised so concurrent flushes never interleave.
   */
  flush({ neverShrink = false }: { neverShrink?: boolean } = {}): Promise<{ lockWritten: boolean; dtsWritten: boolean }> {
    const run = async () => {
      let lockWritten = false;
      if (this.dirty && !this.frozen && this.replacing) {
        this.dirty = this.replacing = false;
        lockWritten = await writeLockfile(this.file, this.lock);
        this.lastWritten = formatLockfile(this.lock);
      } else if (this.dirty && !this.frozen) {
        this.dirty = false;
        const merged = await updateLockfile(this.file, this.lock);
        this.lastWritten = formatLockfile(merged);
        // Imports that resolved while the file was being written changed this.lock in place;
        // merging (ours last) keeps them and still picks up what another process wrote.
        this.lock = mergeLockfiles(merged, this.lock);
        lockWritten = true;
      }
      const records = this.cacheDir === undefined ? undefined : { cacheDir: this.cacheDir };
      const dtsWritten = this.dts === false ? false : await writeDeclarations(this.dts, this.lock, { neverShrink, records });
      return { lockWritten, dtsWritten };
    };
    const result = this.chain.then(run, run);
    this.chain = result.catch(() => undefined);
    return result;
  }
}

const sessions = new Map<string, LockSession>();

/** The process-wide session for a lockfile path (created on first use). */
export function lockSession(file: string, dts: string | false, frozen: boolean, cacheDir?: string): LockSession {
  const key = JSON.stringify([file, dts, frozen, cacheDir ?? null]);
  let session = sessions.get(key);
  if (!session) sessions.set(key, (session = new LockSession(file, dts, frozen, cacheDir)));
  return session;
}
