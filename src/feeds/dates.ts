/**
 * Feed dates as they are really written: RFC 822 with any day name, two-digit
 * years and odd zone names (RSS), ISO 8601 / W3C-DTF in every precision
 * (Atom, dc:date, JSON Feed), and the asctime and slash forms some generators
 * emit. Everything comes out as UTC; a date without a zone is taken as UTC,
 * as feedparser does, because guessing the publisher's zone is worse.
 */

/** Zone abbreviations seen in feeds, in minutes east of UTC. */
const ZONES: Record<string, number> = {
  ut: 0,
  utc: 0,
  gmt: 0,
  z: 0,
  wet: 0,
  bst: 60,
  ist: 330,
  cet: 60,
  met: 60,
  west: 60,
  cest: 120,
  mest: 120,
  eet: 120,
  eest: 180,
  msk: 180,
  hkt: 480,
  sgt: 480,
  awst: 480,
  jst: 540,
  kst: 540,
  acst: 570,
  aest: 600,
  aedt: 660,
  nzst: 720,
  nzdt: 780,
  hst: -600,
  akst: -540,
  akdt: -480,
  pst: -480,
  pdt: -420,
  pt: -480,
  mst: -420,
  mdt: -360,
  mt: -420,
  cst: -360,
  cdt: -300,
  ct: -360,
  est: -300,
  edt: -240,
  et: -300,
  ast: -240,
  adt: -180,
  at: -240,
};

const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};

// YYYY[-MM[-DD]][(T| )hh:mm[:ss[.fff]]][zone], also the basic form YYYYMMDDThhmmss.
const ISO =
  /^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:(?:t|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?\s*(z|[+-]\d{1,2}(?::?\d{2})?|[a-z]{1,5})?$/;
const ISO_BASIC = /^(\d{4})(\d{2})(\d{2})(?:t(\d{2})(\d{2})(?:(\d{2})(?:[.,]\d+)?)?)?\s*(z|[+-]\d{2}(?::?\d{2})?)?$/;
// [Day,] DD Mon YYYY [hh:mm[:ss]] [zone]; day and month may be swapped.
const RFC822 =
  /^(?:[a-z]+\.?(?:,\s*|\s+))?(?:(\d{1,2})[\s-]+([a-z]+)\.?|([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?)[\s-]+(\d{2,4})(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?(?:\s*([ap])\.?m\.?)?)?\s*(.*)$/;
// asctime: Sun Nov  6 08:49:37 [zone] 1994
const ASCTIME = /^[a-z]+,?\s+([a-z]+)\s+(\d{1,2})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s+(?:([a-z]+|[+-]\d{4})\s+)?(\d{4})$/;
// 2020/1/10 14:33:00 and 2020/01/10
const SLASHED = /^(\d{4})\/(\d{1,2})\/(\d{1,2})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*(z|[+-]\d{2}:?\d{2}|[a-z]{1,5})?$/;

/**
 * Parses a feed date and returns it as `YYYY-MM-DDTHH:MM:SSZ` in UTC, or null
 * when the text is empty or not a date that can be read without guessing.
 *
 * @example
 * parseFeedDate('Tue, 02 Mar 2021 23:39:15 +0100'); // '2021-03-02T22:39:15Z'
 * parseFeedDate('2007-12-14T23:15:00.000-08:00');   // '2007-12-15T07:15:00Z'
 * parseFeedDate('soon');                              // null
 */
export function parseFeedDate(raw: string | null | undefined): string | null {
  if (raw == null) return null;
  const text = raw.trim().replace(/\s+/g, ' ').toLowerCase();
  if (text === '') return null;

  return fromIso(text) ?? fromRfc822(text) ?? fromAsctime(text) ?? fromSlashed(text);
}

function fromIso(text: string): string | null {
  const m = ISO.exec(text) ?? ISO_BASIC.exec(text);
  if (!m) return null;
  return build(num(m[1]), num(m[2], 1), num(m[3], 1), num(m[4]), num(m[5]), num(m[6]), zoneOffset(m[7]));
}

function fromRfc822(text: string): string | null {
  const m = RFC822.exec(text);
  if (!m) return null;
  const month = monthNumber(m[2] ?? m[3]);
  if (month === null) return null;
  let year = num(m[5]);
  // Two-digit years: feedparser's rule, 90-99 is the 1990s, the rest 20xx.
  if ((m[5] ?? '').length <= 2) year += year < 90 ? 2000 : 1900;
  const hour = twelveHour(num(m[6]), m[9]);
  return build(year, month, num(m[1] ?? m[4]), hour, num(m[7]), num(m[8]), zoneOffset(m[10]));
}

function fromAsctime(text: string): string | null {
  const m = ASCTIME.exec(text);
  if (!m) return null;
  const month = monthNumber(m[1]);
  if (month === null) return null;
  return build(num(m[7]), month, num(m[2]), num(m[3]), num(m[4]), num(m[5]), zoneOffset(m[6]));
}

function fromSlashed(text: string): string | null {
  const m = SLASHED.exec(text);
  if (!m) return null;
  return build(num(m[1]), num(m[2]), num(m[3]), num(m[4]), num(m[5]), num(m[6]), zoneOffset(m[7]));
}

/** `meridiem` is the "a" or "p" of am/pm, when the time had one. */
function twelveHour(hour: number, meridiem: string | undefined): number {
  if (meridiem === undefined) return hour;
  if (hour > 12) return 99; // "13:00 pm" is not a time; build() rejects it
  return (hour % 12) + (meridiem === 'p' ? 12 : 0);
}

function num(value: string | undefined, fallback = 0): number {
  return value === undefined || value === '' ? fallback : Number(value);
}

function monthNumber(name: string | undefined): number | null {
  return MONTHS[(name ?? '').slice(0, 3)] ?? null;
}

/**
 * Minutes east of UTC for a zone written as Z, +hh, +hhmm, +hh:mm, GMT+h,
 * Etc/GMT, a known abbreviation or a military letter. Unknown names count as
 * UTC rather than making the whole date unreadable: the day is still right.
 * Returns null when the zone is text that is clearly not a zone.
 */
function zoneOffset(zone: string | undefined): number | null {
  if (zone === undefined) return 0;
  let z = zone.trim().replace(/^\(|\)$/g, '');
  if (z === '') return 0;
  if (z.startsWith('etc/')) z = z.slice(4);
  const gmt = /^(?:gmt|utc|ut)\s*([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(z);
  if (gmt) return (gmt[1] === '-' ? -1 : 1) * (Number(gmt[2]) * 60 + num(gmt[3]));
  const numeric = /^([+-])(\d{1,2})(?::?(\d{2}))?(?:\s.*)?$/.exec(z);
  if (numeric) {
    const hours = Number(numeric[2]);
    const minutes = num(numeric[3]);
    if (hours > 14 || minutes > 59) return null;
    return (numeric[1] === '-' ? -1 : 1) * (hours * 60 + minutes);
  }
  // "EST (Eastern)" and similar trailing explanations.
  const word = /^([a-z]{1,5})\b/.exec(z)?.[1];
  if (word === undefined) return null;
  const known = ZONES[word];
  if (known !== undefined) return known;
  if (word.length === 1 && word !== 'j') {
    // RFC 822 military zones: A-I, K-M are -1..-12 and N-Y +1..+12 as the RFC
    // writes them (the sign is famously backwards, but that is what is sent).
    const code = word.charCodeAt(0);
    if (word <= 'i') return -(code - 96) * 60;
    if (word <= 'm') return -(code - 97) * 60;
    return (code - 109) * 60;
  }
  return 0;
}

function build(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  offsetMinutes: number | null,
): string | null {
  if (offsetMinutes === null) return null;
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || day > 31) return null;
  if (hour > 24 || minute > 59 || second > 60) return null;
  // 24:00 is midnight at the end of the day and :60 a leap second; the Date
  // arithmetic rolls both over, which is the right reading.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  if (date.getUTCDate() !== day) return null; // 31 April and friends
  date.setUTCHours(hour, minute - offsetMinutes, second, 0);
  const iso = date.toISOString();
  if (iso.startsWith('+') || iso.startsWith('-')) return null;
  return `${iso.slice(0, 19)}Z`;
}
