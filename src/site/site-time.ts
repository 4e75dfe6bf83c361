/**
 * Post dates. The site runs on US Pacific time (`America/Los_Angeles`) and shows wall-clock
 * dates (`Sunday, December 15, 2013 - 12:43`) without an offset; the page head carries the same
 * moment with its exact offset (`article:published_time`, `dcterms.date`). The head wins when
 * present; otherwise the shown text is read in the site's zone with the runtime's time zone
 * database (Intl), so daylight saving time is right for every year without a table of our own.
 */

/** The zone the site prints dates in. */
export const SITE_TIME_ZONE = "America/Los_Angeles";

const offsetFormat = new Intl.DateTimeFormat("en-US", { timeZone: SITE_TIME_ZONE, timeZoneName: "longOffset" });

/** Offset of the site's zone at an instant, in minutes east of UTC (-480 or -420). */
function offsetMinutesAt(epochMs: number): number {
  const name = offsetFormat.formatToParts(new Date(epochMs)).find((part) => part.type === "timeZoneName")?.value ?? "";
  const match = /GMT([+-])(\d{2}):?(\d{2})?/.exec(name);
  if (!match) return 0; // "GMT" alone means UTC
  const minutes = Number(match[2]) * 60 + Number(match[3] ?? 0);
  return match[1] === "-" ? -minutes : minutes;
}

const MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

const pad = (n: number): string => String(n).padStart(2, "0");

function isoWithOffset(year: number, month: number, day: number, hour: number, minute: number, second: number, offset: number): string {
  const sign = offset < 0 ? "-" : "+";
  const abs = Math.abs(offset);
  return `${year}-${pad(month + 1)}-${pad(day)}T${pad(hour)}:${pad(minute)}:${pad(second)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/**
 * Parses the date the page shows (`Friday, June 29, 2012 - 14:51`) as Pacific wall-clock time.
 * Returns ISO 8601 with the offset in force then (`2012-06-29T14:51:00-07:00`), or `null` when
 * the text is not a date in that shape.
 */
export function parseSiteDate(text: string): string | null {
  const match = /([A-Za-z]+)\s+(\d{1,2}),\s*(\d{4})\s*-\s*(\d{1,2}):(\d{2})/.exec(text);
  if (!match) return null;
  const month = MONTHS.indexOf(match[1]!.toLowerCase());
  const day = Number(match[2]);
  const year = Number(match[3]);
  const hour = Number(match[4]);
  const minute = Number(match[5]);
  if (month < 0 || day < 1 || day > 31 || hour > 23 || minute > 59) return null;
  return siteWallClockToIso(year, month, day, hour, minute);
}

/**
 * ISO 8601 for a Pacific wall-clock time (`month` 0-based). The offset is found by trying the
 * instant the wall-clock would be under each candidate offset: in the autumn overlap hour both
 * fit and the earlier (daylight) reading wins, like most software; in the spring gap neither
 * fits and the standard offset is used.
 */
export function siteWallClockToIso(year: number, month: number, day: number, hour: number, minute: number): string {
  const asUtc = Date.UTC(year, month, day, hour, minute);
  // The offsets a day either side cover both sides of any transition near this time.
  const candidates = [...new Set([-1, 0, 1].map((days) => offsetMinutesAt(asUtc + days * 86_400_000)))];
  const fitting = candidates.filter((offset) => offsetMinutesAt(asUtc - offset * 60_000) === offset).sort((a, b) => b - a);
  const offset = fitting[0] ?? Math.min(...candidates);
  const date = new Date(asUtc);
  return isoWithOffset(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate(), date.getUTCHours(), date.getUTCMinutes(), 0, offset);
}

const HEAD_DATE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * A date from the page head (`2013-12-15T12:43:00-08:00`, `2013-12-15T12:43-08:00`) in the same
 * ISO 8601 shape as {@link parseSiteDate}, its own offset kept; `null` when it is not a complete
 * date-time with an offset (a head value is page text too, so it is checked, not trusted).
 */
export function parseHeadDate(value: string | null): string | null {
  const match = value ? HEAD_DATE.exec(value.trim()) : null;
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map((part) => Number(part ?? 0)) as [number, number, number, number, number, number];
  const zone = match[7]!;
  const offset = zone === "Z" ? 0 : (zone.startsWith("-") ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(-2)));
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59 || Math.abs(offset) > 14 * 60) return null;
  // Day-of-month overflow (February 31) would roll over silently in Date: refuse it instead.
  if (day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return null;
  return isoWithOffset(year, month - 1, day, hour, minute, second, offset);
}
