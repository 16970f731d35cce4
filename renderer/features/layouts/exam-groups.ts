/**
 * Which images a layout puts together: the visit of an open fundus image (the visit rule of
 * core/vocabulary/visit.ts) split by eye, earlier visits of the same eye ordered by postmenstrual
 * age, and the previous chest film of the same infant.
 */
import type { InstanceSummary } from '../../../core/api/schemas.ts';
import { eyeOf, sameVisit, type Eye } from '../../../core/vocabulary/visit.ts';

export { eyeOf, type Eye };

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
