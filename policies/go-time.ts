/**
 * Timestamps as kube-apiserver decodes them: `metav1.Time` reads a JSON string with Go's
 * `time.Parse(time.RFC3339, s)`. Go tries a strict RFC 3339 reader first and falls back to its
 * general layout parser, which also takes a one-digit hour, a comma before the fraction and zone
 * offsets up to 24:60; both need an upper-case `T` and `Z`, a real calendar day and seconds < 60.
 */

const LAYOUT = /^(\d{4})-(\d{2})-(\d{2})T(\d{1,2}):(\d{2}):(\d{2})(?:[.,](\d+))?(?:Z|([+-])(\d{2}):(\d{2}))$/;

/** A parsed time: seconds since the Unix epoch (UTC) and the fraction as written. */
export interface GoTime {
  seconds: number;
  fraction: string;
}

function daysIn(month: number, year: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Returns the instant of an RFC 3339 timestamp as Go's `time.Parse` reads it, or undefined when Go refuses it. */
export function parseGoTime(text: string): GoTime | undefined {
  const m = LAYOUT.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(month, year)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let offset = 0;
  if (m[8] !== undefined) {
    const zh = Number(m[9]);
    const zm = Number(m[10]);
    if (zh > 24 || zm > 60) return undefined;
    offset = (m[8] === '-' ? -1 : 1) * (zh * 3600 + zm * 60);
  }
  // setUTCFullYear, unlike Date.UTC, does not move the years 0-99 to 1900-1999.
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, 0);
  return { seconds: d.getTime() / 1000 - offset, fraction: (m[7] ?? '').replace(/0+$/, '') };
}

/**
 * True when Go's `time.Parse(time.RFC3339, text)` accepts `text`: `parseGoTime`'s checks without
 * computing the instant (the schema gate runs this for every timestamp of every exported slice).
 */
export function isGoRfc3339(text: string): boolean {
  const m = LAYOUT.exec(text);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(month, year)) return false;
  if (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6]) > 59) return false;
  return m[8] === undefined || (Number(m[9]) <= 24 && Number(m[10]) <= 60);
}

/** Go's zero time, 0001-01-01T00:00:00Z: `IsZero()` treats it as unset. */
const ZERO_SECONDS = -62135596800;

/** True when a decoded `metav1.Time` value is unset: absent, null, or Go's zero time. */
export function isZeroTime(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value !== 'string') return false;
  const t = parseGoTime(value);
  return t !== undefined && t.seconds === ZERO_SECONDS && t.fraction === '';
}
