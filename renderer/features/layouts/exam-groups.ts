/**
 * Which images a layout puts together: the visit of an open fundus image (same infant, same
 * day and study) split by eye, earlier visits of the same eye ordered by postmenstrual age,
 * and the previous chest film of the same infant.
 */
import type { InstanceSummary } from '../../../core/api/schemas.ts';

export type Eye = 'OD' | 'OS';

export function eyeOf(instance: InstanceSummary): Eye | undefined {
  return instance.laterality === 'R' ? 'OD' : instance.laterality === 'L' ? 'OS' : undefined;
}

function sameVisit(a: InstanceSummary, b: InstanceSummary): boolean {
  // Photo exports carry no study UID: the exam date stands for the visit.
  return (
    a.patientId === b.patientId &&
    a.domain === b.domain &&
    a.studyDate === b.studyDate &&
    (a.studyInstanceUid === b.studyInstanceUid || !a.studyInstanceUid || !b.studyInstanceUid)
  );
}

/** The open image's visit, by eye (images without laterality are left out). */
export function visitByEye(
  open: InstanceSummary,
  all: InstanceSummary[],
): Record<Eye, InstanceSummary[]> {
  const visit = all.filter((i) => sameVisit(open, i));
  return { OD: visit.filter((i) => eyeOf(i) === 'OD'), OS: visit.filter((i) => eyeOf(i) === 'OS') };
}

/**
 * Earlier visits' images of one eye, most recent first. For one infant the exam date and the
 * postmenstrual age order visits alike; the layout labels each prior with its PMA.
 */
export function priorsOfEye(
  open: InstanceSummary,
  eye: Eye,
  all: InstanceSummary[],
): InstanceSummary[] {
  return all
    .filter(
      (i) =>
        i.patientId === open.patientId &&
        i.domain === 'retina' &&
        eyeOf(i) === eye &&
        !sameVisit(open, i) &&
        i.studyDate < open.studyDate,
    )
    .sort((a, b) => b.studyDate.localeCompare(a.studyDate));
}

/** The most recent chest film of the same infant taken before the open one. */
export function priorChestFilm(
  open: InstanceSummary,
  all: InstanceSummary[],
): InstanceSummary | undefined {
  return all
    .filter(
      (i) =>
        i.patientId === open.patientId &&
        i.domain === 'chest' &&
        i.studyDate &&
        i.studyDate < open.studyDate,
    )
    .sort((a, b) => b.studyDate.localeCompare(a.studyDate))[0];
}
