/**
 * Reading and writing records keyed by asset ids, file names and zip entry names: an uploader
 * picks those, and `constructor`, `toString` or `__proto__` are members of every plain object.
 * A lookup must never find an inherited member, and a write must never set a prototype, whatever
 * object the record is (the lockfile's own records have none, but a caller's may).
 */

/** `record[key]` when the record has it itself; inherited members are not keys. */
export function own<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}

/** Sets `record[key]` as the record's own property: assigning `__proto__` would replace its prototype. */
export function setOwn<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, { value, writable: true, enumerable: true, configurable: true });
}
