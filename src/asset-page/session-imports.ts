/**
 * What the plugin tells the asset page while modules load. Its own small module: the plugin
 * holds one from the start, and loads the rest of the page only when a dev server starts.
 */

/** The files each asset's modules referenced since the dev server started. */
export class SessionImports {
  private readonly files = new Map<string, Set<string>>();

  record(id: string, names: readonly string[]): void {
    let set = this.files.get(id);
    if (!set) this.files.set(id, (set = new Set()));
    for (const name of names) set.add(name);
  }

  has(id: string): boolean {
    return this.files.has(id);
  }

  filesOf(id: string): ReadonlySet<string> {
    return this.files.get(id) ?? new Set();
  }
}
