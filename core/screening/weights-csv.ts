/**
 * Infant weights imported from a spreadsheet export: a CSV with the header
 * `patient_id,date,grams` (columns in any order, extra columns ignored), one weighing a row.
 * Every bad row is reported with its line number and left out; the caller decides whether a
 * file with errors is imported at all.
 */
import { dayNumber } from './calendar.ts';

export interface WeightRow {
  patientId: string;
  date: string;
  grams: number;
}

export interface WeightsCsvError {
  line: number;
  message: string;
}

export interface WeightsCsv {
  rows: WeightRow[];
  errors: WeightsCsvError[];
}

const REQUIRED = ['patient_id', 'date', 'grams'] as const;
/** Heaviest plausible weight while still under ROP screening. */
const MAX_GRAMS = 10_000;

/** One CSV line into fields; double-quoted fields may hold commas and "" for a quote. */
function fields(line: string): string[] | undefined {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted && ch === '"' && line[i + 1] === '"') {
      field += '"';
      i++;
    } else if (ch === '"') {
      quoted = !quoted;
    } else if (ch === ',' && !quoted) {
      out.push(field);
      field = '';
    } else {
      field += ch;
    }
  }
  if (quoted) return undefined;
  out.push(field);
  return out.map((f) => f.trim());
}

function row(values: string[], at: Record<(typeof REQUIRED)[number], number>): WeightRow | string {
  const [patientId, date, grams] = REQUIRED.map((name) => values[at[name]] ?? '') as [
    string,
    string,
    string,
  ];
  if (!patientId) return 'patient_id is empty';
  if (dayNumber(date) === undefined) return `date "${date}" is not a calendar date (YYYY-MM-DD)`;
  const value = Number(grams);
  if (!grams || !Number.isFinite(value) || value <= 0 || value > MAX_GRAMS)
    return `grams "${grams}" is not a weight in grams (more than 0, at most ${MAX_GRAMS})`;
  return { patientId, date, grams: value };
}

export function parseWeightsCsv(text: string): WeightsCsv {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = fields(lines[0] ?? '')?.map((h) => h.toLowerCase()) ?? [];
  const missing = REQUIRED.filter((name) => !header.includes(name));
  if (missing.length)
    return {
      rows: [],
      errors: [
        {
          line: 1,
          message: `line 1: the header must name the columns patient_id,date,grams (missing: ${missing.join(', ')})`,
        },
      ],
    };
  const at = Object.fromEntries(REQUIRED.map((name) => [name, header.indexOf(name)])) as Record<
    (typeof REQUIRED)[number],
    number
  >;
  const result: WeightsCsv = { rows: [], errors: [] };
  lines.slice(1).forEach((text, index) => {
    const line = index + 2;
    if (!text.trim()) return;
    const values = fields(text);
    const parsed = values ? row(values, at) : 'a quoted field is not closed';
    if (typeof parsed === 'string')
      result.errors.push({ line, message: `line ${line}: ${parsed}` });
    else result.rows.push(parsed);
  });
  return result;
}

/** One infant's weights, in date order, as the G-ROP criteria take them. */
export function weightsOf(rows: WeightRow[], patientId: string): { date: string; grams: number }[] {
  return rows
    .filter((r) => r.patientId === patientId)
    .map(({ date, grams }) => ({ date, grams }))
    .sort((a, b) => a.date.localeCompare(b.date));
}
