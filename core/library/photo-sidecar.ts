/**
 * The sidecar CSV a camera export or a clinic's script writes beside the photos: one row
 * per image, keyed by the image's file name (without folders, case-insensitive).
 *
 * Columns: `file` and `patient_id` (required); `eye` (OD/OS/R/L), `patient_name`,
 * `birth_date`, `exam_date` (YYYY-MM-DD or YYYYMMDD), `exam_time` (HH:MM[:SS]), `ga_weeks`
 * (27, 27+2), `domain` (retina/fundus, chest, other), `device`, `site`. A row may leave the
 * eye out (a chest film has none; a file-name pattern or the form may give it).
 */
import { baseFileName, parseEye } from '../vocabulary/eye-names.ts';
import { parseGestationalAge, type PhotoDomain, type PhotoMetadata } from './photo-export.ts';

function csvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',' || c === ';') {
      row.push(field.trim());
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field.trim());
      if (row.some((f) => f !== '')) rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  row.push(field.trim());
  if (row.some((f) => f !== '')) rows.push(row);
  return rows;
}

/** "retina", "fundus", "eye" → retina; "chest", "cxr", "thorax" → chest; "other" → other. */
export function parseDomain(value: string): PhotoDomain | undefined {
  const v = value.trim().toLowerCase();
  if (['retina', 'fundus', 'eye', 'op'].includes(v)) return 'retina';
  if (['chest', 'cxr', 'thorax', 'chest film'].includes(v)) return 'chest';
  if (v === 'other') return 'other';
  return undefined;
}

const date = (value: string | undefined) =>
  value && /^\d{4}-?\d{2}-?\d{2}$/.test(value) ? value.replace(/-/g, '') : undefined;

const time = (value: string | undefined) => {
  const m = /^(\d{2}):?(\d{2})(?::?(\d{2}))?$/.exec(value ?? '');
  return m ? `${m[1]}${m[2]}${m[3] ?? '00'}` : undefined;
};

export type SidecarRows = Map<string, PhotoMetadata>;

export function parseSidecarCsv(text: string): { rows: SidecarRows; problems: string[] } {
  const [header, ...body] = csvRows(text.replace(/^\uFEFF/, ''));
  const rows: SidecarRows = new Map();
  const problems: string[] = [];
  const columns = (header ?? []).map((h) => h.toLowerCase().replace(/\s+/g, '_'));
  const at = (name: string) => columns.indexOf(name);
  if (at('file') < 0 || at('patient_id') < 0) {
    return { rows, problems: ['sidecar CSV needs the columns file and patient_id'] };
  }
  body.forEach((cells, index) => {
    const get = (name: string) => (at(name) >= 0 ? cells[at(name)] || undefined : undefined);
    const file = get('file');
    const patientId = get('patient_id');
    const eyeText = get('eye');
    const eye = eyeText ? parseEye(eyeText) : undefined;
    const domainText = get('domain');
    const domain = domainText ? parseDomain(domainText) : undefined;
    if (!file || !patientId) {
      problems.push(`row ${index + 2}: needs file and patient_id`);
      return;
    }
    if (eyeText && !eye) problems.push(`row ${index + 2}: eye "${eyeText}" is not OD/OS/R/L`);
    if (domainText && !domain)
      problems.push(`row ${index + 2}: domain "${domainText}" is not retina, chest or other`);
    const metadata: PhotoMetadata = {
      patientId,
      patientName: get('patient_name'),
      birthDate: date(get('birth_date')),
      examDate: date(get('exam_date')),
      examTime: time(get('exam_time')),
      eye,
      domain,
      device: get('device'),
      gestationalAgeWeeks: parseGestationalAge(get('ga_weeks') ?? ''),
      site: get('site'),
    };
    for (const key of Object.keys(metadata) as (keyof PhotoMetadata)[])
      if (metadata[key] === undefined) delete metadata[key];
    rows.set(baseFileName(file).toLowerCase(), metadata);
  });
  return { rows, problems };
}

export function lookupSidecar(rows: SidecarRows, fileName: string): PhotoMetadata | undefined {
  return rows.get(baseFileName(fileName).toLowerCase());
}
