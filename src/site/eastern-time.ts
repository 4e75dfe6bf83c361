/**
 * The site prints dates in its own time zone (US Eastern) without saying which offset applies.
 * These helpers turn such a wall-clock time into ISO 8601 with the right offset for that day,
 * using the runtime's time zone database (Intl) rather than a date library.
 */

const SITE_TIME_ZONE = "America/New_York";

const offsetFormat = new Intl.DateTimeFormat("en-US", { timeZone: SITE_TIME_ZONE, timeZoneName: "longOffset" });

/** Offset of the site's zone at an instant, in minutes east of UTC (-300 or -240). */
function offsetMinutesAt(epochMs: number): number {
  const name = offsetFormat.formatToParts(new Date(epochMs)).find((part) => part.type === "timeZoneName")?.value ?? "";
  const match = /GMT([+-])(\d{2}):?(\d{2})?/.exec(name);
  if (!match) return 0; // "GMT" alone means UTC
  const minutes = Number(match[2]) * 60 + Number(match[3] ?? 0);
  return match[1] === "-" ? -minutes : minutes;
}

const MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

/**
 * Parses the site's post date (`Friday, June 29, 2012 - 14:51`) as US Eastern wall-clock time.
 * Returns ISO 8601 with the offset in force then (`2012-06-29T14:51:00-04:00`), or `null`
 * when the text is not a date in that shape.
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
  return easternWallClockToIso(year, month, day, hour, minute);
}

/**
 * ISO 8601 for a US Eastern wall-clock time. The offset is found by trying the instant the
 * wall-clock would be under each candidate offset: in the autumn overlap hour both fit and the
 * earlier (daylight) reading wins, like most software; in the spring gap neither fits and the
 * standard offset is used.
 */
export function easternWallClockToIso(year: number, month: number, day: number, hour: number, minute: number): string {
  const asUtc = Date.UTC(year, month, day, hour, minute);
  // The offsets a day either side cover both sides of any transition near this time.
  const candidates = [...new Set([-1, 0, 1].map((days) => offsetMinutesAt(asUtc + days * 86_400_000)))];
  const fitting = candidates
    .filter((offset) => offsetMinutesAt(asUtc - offset * 60_000) === offset)
    .sort((a, b) => b - a);
  const offset = fitting[0] ?? Math.min(...candidates);
  const date = new Date(asUtc);
  const pad = (n: number): string => String(n).padStart(2, "0");
  const sign = offset < 0 ? "-" : "+";
  const abs = Math.abs(offset);
  return (
    `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}` +
    `T${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:00${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}
