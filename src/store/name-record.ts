/**
 * Records keyed by names that come from the site or a lockfile: asset ids, file names, zip entry
 * paths. They have no prototype, so `__proto__`, `constructor` or `toString` are keys like any
 * other: never missing, never inherited, never turning an assignment into a prototype change.
 */

/** A new, empty record without a prototype, optionally filled from `entries`. */
export function nameRecord<T>(entries: Iterable<readonly [string, T]> = []): Record<string, T> {
  const record = Object.create(null) as Record<string, T>;
  for (const [key, value] of entries) record[key] = value;
  return record;
}

/** A shallow copy of `record` without a prototype (own enumerable keys only). */
export function copyNameRecord<T>(record: Readonly<Record<string, T>>): Record<string, T> {
  return nameRecord(Object.entries(record));
}
