/**
 * Calendar dates as the clinic writes them ("YYYY-MM-DD"), counted in whole UTC days so that
 * time zones and daylight saving never move a due date.
 */
const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a "YYYY-MM-DD" calendar date; undefined when it is not one. */
export function dayNumber(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  // A date that rolled over (2025-02-29 → 03-01) is not a calendar date.
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1) return undefined;
  if (date.getUTCDate() !== day) return undefined;
  return Math.round(date.getTime() / DAY_MS);
}

/** As dayNumber, but a value that is not a calendar date is a RangeError naming the input. */
export function requireDay(text: string, what: string): number {
  const day = dayNumber(text);
  if (day === undefined)
    throw new RangeError(`${what} "${text}" is not a calendar date (YYYY-MM-DD)`);
  return day;
}

export function dateOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  return dateOfDay(requireDay(date, 'Date') + days);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return requireDay(to, 'Date') - requireDay(from, 'Date');
}

/** A day count as gestational weeks: 213 → "30+3 weeks". */
export function weeksAndDays(days: number): string {
  return `${Math.floor(days / 7)}+${days % 7} weeks`;
}
