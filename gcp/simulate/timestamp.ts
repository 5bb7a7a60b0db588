/**
 * The one timestamp parser of scenario files (every absolute time, log entries' `timestamp`) and of the backtest's
 * `--from`/`--to`/`--now`: RFC 3339, strictly, so a time means the same instant on every machine.
 *
 * - A date-time needs seconds and a time zone: `Z` or a numeric offset (`2025-11-12T17:00:00Z`,
 *   `2025-11-12T18:00:00.5+01:00`; `t`/`z` in lower case too, RFC 3339 §5.6). Without a zone JavaScript's Date reads
 *   the time in the machine's local time zone, so the same file gave other results under another TZ: refused.
 * - A bare date `2025-11-12` (RFC 3339 `full-date`) is allowed and means that day's UTC midnight (as Cloud Logging
 *   reads a date, and never the local midnight).
 * - Calendar and clock fields are checked: `2025-02-30` or `T24:00:00` is an error, not rolled over into the next
 *   month or day as Date.parse does. Leap seconds (`:60`) are refused (a JavaScript time cannot hold one).
 * - Fractions of a second may have any number of digits; they are truncated to the millisecond.
 */

/** Thrown with the reason only: the caller names the file (or option) and the field. */
export class TimestampError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TimestampError';
  }
}

const FULL = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?([Zz]|([+-])(\d{2}):(\d{2})))?$/;
/** Date and hours:minutes, then anything: for the messages that say what is missing. */
const PARTIAL = /^(\d{4}-\d{2}-\d{2})([Tt ])(\d{2}:\d{2})(:\d{2}(?:\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2}|[+-]\d{2})?$/;
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const EXAMPLES = '2025-11-12T17:00:00Z, 2025-11-12T18:00:00+01:00, or a date 2025-11-12 for its UTC midnight';

function daysIn(year: number, month: number): number {
  return month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * Epoch milliseconds of an RFC 3339 date-time with a zone, or of a date (its UTC midnight). Throws a TimestampError
 * whose message quotes the text and says what is wrong; `otherForms` (e.g. `"now" or "now-7d"`) is added to the
 * forms listed when the text is no timestamp at all.
 */
export function parseRfc3339(text: string, otherForms?: string): number {
  const s = text.trim();
  const q = JSON.stringify(text);
  const m = FULL.exec(s);
  if (!m) {
    const p = PARTIAL.exec(s);
    if (p) {
      const [, date, sep, hm, secs, zone] = p;
      if (zone === undefined) throw new TimestampError(`${q} has no time zone: write Z or an offset (+01:00)`);
      if (sep === ' ') throw new TimestampError(`${q}: separate the date and the time with T (${date}T${hm}${secs ?? ':00'}${zone})`);
      if (secs === undefined) throw new TimestampError(`${q} has no seconds: write ${date}T${hm}:00${zone}`);
      throw new TimestampError(`${q}: the offset must be written ±hh:mm (+01:00)`);
    }
    throw new TimestampError(`${q} is not a time (RFC 3339 such as ${EXAMPLES}${otherForms ? `; or ${otherForms}` : ''})`);
  }
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12) throw new TimestampError(`${q}: month ${m[2]} does not exist (01-12)`);
  if (day < 1 || day > daysIn(year, month))
    throw new TimestampError(`${q}: day ${m[3]} does not exist (${MONTHS[month - 1]} ${m[1]} has ${daysIn(year, month)} days)`);
  if (m[4] === undefined) return utc(year, month, day, 0, 0, 0, 0);
  const [hour, minute, second] = [Number(m[4]), Number(m[5]), Number(m[6])];
  if (hour > 23) throw new TimestampError(`${q}: hour ${m[4]} is out of range (00-23)`);
  if (minute > 59) throw new TimestampError(`${q}: minute ${m[5]} is out of range (00-59)`);
  if (second > 59) throw new TimestampError(`${q}: second ${m[6]} is out of range (00-59; leap seconds are not supported)`);
  let offsetMinutes = 0;
  if (m[9] !== undefined) {
    const [oh, om] = [Number(m[10]), Number(m[11])];
    if (oh > 23 || om > 59) throw new TimestampError(`${q}: offset ${m[9]}${m[10]}:${m[11]} is out of range (-23:59 to +23:59)`);
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const ms = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  return utc(year, month, day, hour, minute, second, ms) - offsetMinutes * 60_000;
}

function utc(year: number, month: number, day: number, hour: number, minute: number, second: number, ms: number): number {
  const d = new Date(Date.UTC(year, month - 1, day, hour, minute, second, ms));
  if (year < 100) d.setUTCFullYear(year); // Date.UTC reads the years 0-99 as 1900-1999
  return d.getTime();
}
