/**
 * What the intended-use gate (intended-use.ts) is told about one image and its patient: the
 * image's domain, modality, view and camera from its header, and the infant's ages in days at
 * the exam from the patient record (GA at birth, PMA, age since birth), else the age since
 * birth from the header's birth date or an exact Patient's Age. An age that cannot be had is
 * left out, so the gate calls it unknown, never in range.
 */
import { readString } from '../dicom/attributes.ts';
import type { ParsedDicom } from '../dicom/parse.ts';
import { parseDate, type PatientRecord } from '../patients/trajectory.ts';
import type { IntendedUseContext } from './intended-use.ts';

/** The header facts the gate reads; every one optional (a photo export has few). */
export interface ImageFacts {
  domain: string;
  modality?: string;
  /** View Position (0018,5101). */
  view?: string;
  /** Manufacturer's Model Name (0008,1090). */
  cameraModel?: string;
  /** Study Date (0008,0020), YYYYMMDD or YYYY-MM-DD. */
  studyDate?: string;
  /** Patient's Birth Date (0010,0030). */
  birthDate?: string;
  /** Patient's Age (0010,1010), an Age String such as "003D". */
  patientAge?: string;
}

const DAY_MS = 86_400_000;
const present = (text: string | undefined) => (text && text.trim() ? text.trim() : undefined);

/** The header facts of a parsed DICOM image (its domain comes from the import's classification). */
export function headerFacts(parsed: ParsedDicom, domain: string): ImageFacts {
  const read = (tag: string) => present(readString(parsed.dataSet, tag));
  return {
    domain,
    modality: read('x00080060'),
    view: read('x00185101'),
    cameraModel: read('x00081090'),
    studyDate: read('x00080020'),
    birthDate: read('x00100030'),
    patientAge: read('x00101010'),
  };
}

/**
 * An Age String in days when it is exact: days, or weeks of seven days. Months and years are
 * completed units (PS3.5 Table 6.2-1, AS), up to a month or a year short of the age, too coarse
 * to place a patient on either side of a bound stated in days.
 */
export function exactAgeStringDays(text: string | undefined): number | undefined {
  const m = /^(\d{3})([DW])$/.exec(text?.trim() ?? '');
  if (!m) return undefined;
  return Number(m[1]) * (m[2] === 'W' ? 7 : 1);
}

function daysBetween(from: string | undefined, to: string | undefined): number | undefined {
  const a = from ? parseDate(from) : undefined;
  const b = to ? parseDate(to) : undefined;
  if (!a || !b) return undefined;
  const days = Math.round((b.getTime() - a.getTime()) / DAY_MS);
  return days < 0 ? undefined : days;
}

export function intendedUseContextOf(
  image: ImageFacts,
  patient?: PatientRecord,
): IntendedUseContext {
  const ages: NonNullable<IntendedUseContext['patient']> = {};
  if (patient) {
    const gaAtBirth = patient.gaWeeks * 7 + patient.gaDays;
    if (Number.isFinite(gaAtBirth)) ages.gaAtBirthDays = gaAtBirth;
    const sinceBirth = daysBetween(patient.birthDate, image.studyDate);
    if (sinceBirth !== undefined) {
      ages.chronologicalDays = sinceBirth;
      if (ages.gaAtBirthDays !== undefined) ages.pmaDays = ages.gaAtBirthDays + sinceBirth;
    }
  }
  // Without the record, the header still gives the age since birth (never GA or PMA).
  ages.chronologicalDays ??=
    daysBetween(image.birthDate, image.studyDate) ?? exactAgeStringDays(image.patientAge);
  if (ages.chronologicalDays === undefined) delete ages.chronologicalDays;
  return {
    domain: image.domain,
    ...(image.modality ? { modality: image.modality } : {}),
    ...(image.view ? { view: image.view } : {}),
    ...(image.cameraModel ? { cameraModel: image.cameraModel } : {}),
    ...(Object.keys(ages).length ? { patient: ages } : {}),
  };
}
