/**
 * Consistency checks on one eye's ICROP3 findings, in words the reader can act on. They catch
 * entries that cannot both be true (an extent for a stage above the most severe stage, more
 * than the 12 clock hours of the retina); they never judge what is merely unfilled.
 */
import { CLOCK_HOUR_STAGES, isDetachment, stageRank, type EyeFindings } from './icrop3.ts';

function hours(n: number): string {
  return `${n} clock hour${n === 1 ? '' : 's'}`;
}

export function eyeFindingsProblems(eye: EyeFindings): string[] {
  const problems: string[] = [];
  const extents = eye.stageClockHours ?? {};
  let total = 0;
  for (const stage of CLOCK_HOUR_STAGES) {
    const value = extents[stage];
    if (value === undefined) continue;
    if (!Number.isInteger(value) || value < 0 || value > 12) {
      problems.push(`Stage ${stage} extent must be whole clock hours from 0 to 12 (got ${value})`);
      continue;
    }
    total += value;
    // Stage 4 and 5 eyes keep their stage 1–3 extents: a detachment arises from them.
    if (value > 0 && eye.stage !== undefined && !isDetachment(eye.stage)) {
      if (stageRank(eye.stage) < stage)
        problems.push(
          `Stage ${stage} extent is ${hours(value)} but the most severe stage recorded is ${eye.stage}`,
        );
    }
    if (value === 0 && eye.stage === String(stage))
      problems.push(
        `Stage ${stage} is the most severe stage recorded but its extent is 0 clock hours`,
      );
  }
  if (total > 12) problems.push(`The stage extents add up to ${hours(total)}; the retina has 12`);
  return problems;
}
