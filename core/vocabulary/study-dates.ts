/**
 * A range of study dates, as the Exchange panel's from/to filter and the batch operation
 * share it: bounds are calendar dates (YYYY-MM-DD, what an HTML date input gives), both
 * included, either open; a Study Date (0008,0020) is YYYYMMDD (PS3.5 DA). An undated image is
 * in no range. Pure: the page filters with the same rule the workstation selects with.
 */

export interface StudyDateRange {
  /** YYYY-MM-DD, included; open when absent. */
  from?: string;
  /** YYYY-MM-DD, included; open when absent. */
  to?: string;
}

export function inStudyDateRange(studyDate: string, range: StudyDateRange): boolean {
  if (!/^\d{8}$/.test(studyDate)) return false;
  const compact = (d: string | undefined) => d?.replace(/-/g, '');
  const from = compact(range.from);
  const to = compact(range.to);
  return (!from || studyDate >= from) && (!to || studyDate <= to);
}

/** "of 2026-03-02", "from 2026-03-02 to 2026-03-06", "from 2026-03-02 on", "up to …", "of any date". */
export function describeDateRange(range: StudyDateRange): string {
  if (range.from && range.to)
    return range.from === range.to ? `of ${range.from}` : `from ${range.from} to ${range.to}`;
  if (range.from) return `from ${range.from} on`;
  if (range.to) return `up to ${range.to}`;
  return 'of any date';
}
