/**
 * Which report an image belongs to: one report per exam, per eye for retina (each eye is
 * graded and followed on its own), per study for chest. The id is stable, so the worklist,
 * the reading panel and the store all name an exam the same way.
 */
import { createHash } from 'node:crypto';
import type { InstanceSummary } from '../api/schemas.ts';

export function reportIdFor(first: InstanceSummary): string {
  const eye =
    first.laterality === 'R'
      ? 'OD'
      : first.laterality === 'L'
        ? 'OS'
        : first.domain === 'retina'
          ? 'OU'
          : 'CXR';
  const study = first.studyInstanceUid || first.instanceId;
  const key = createHash('sha256').update(study).digest('hex').slice(0, 16);
  return `${first.domain}-${key}-${eye}`;
}
