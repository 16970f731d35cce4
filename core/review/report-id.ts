/**
 * Which report an image belongs to: one report per visit (core/vocabulary/visit.ts) — for ROP
 * both eyes of the visit, graded side by side in one report. The id is stable, so the
 * worklist, the reading panel and the store all name an exam the same way.
 */
import { createHash } from 'node:crypto';
import type { InstanceSummary } from '../base/schemas.ts';
import { visitKey } from '../vocabulary/visit.ts';

export function reportIdFor(first: InstanceSummary): string {
  const key = createHash('sha256').update(visitKey(first)).digest('hex').slice(0, 16);
  return `${first.domain}-${key}-${first.domain === 'retina' ? 'OU' : 'CXR'}`;
}
