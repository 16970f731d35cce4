/**
 * Which images a batch sends: the ones named (the exams a user ticked) together with every
 * image of this site whose study date lies in a range (a day's or a week's screening).
 * Images that came from a partner are never selected by date: a hub returns results, it does
 * not forward other sites' images. Pure: the handler passes the library's list.
 */
import type { InstanceSummary } from '../base/schemas.ts';
import { inStudyDateRange, type StudyDateRange } from '../vocabulary/study-dates.ts';

export function selectBatchImages(
  instances: readonly InstanceSummary[],
  request: { instanceIds?: readonly string[]; studyDates?: StudyDateRange },
): { selected: InstanceSummary[]; unknownIds: string[] } {
  const byId = new Map(instances.map((i) => [i.instanceId, i]));
  const chosen = new Map<string, InstanceSummary>();
  const unknownIds: string[] = [];
  for (const id of request.instanceIds ?? []) {
    const instance = byId.get(id);
    if (instance) chosen.set(id, instance);
    else unknownIds.push(id);
  }
  const range = request.studyDates;
  if (range)
    for (const instance of instances)
      if (!instance.sourceSite && inStudyDateRange(instance.studyDate, range))
        chosen.set(instance.instanceId, instance);
  return { selected: [...chosen.values()], unknownIds };
}
