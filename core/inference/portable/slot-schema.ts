/**
 * A model slot: the label set a clinical task is graded in (ROP per ICROP3, BPD grade, PDA),
 * with no weights. A package fills a slot when its manifest names it and has one
 * classification output per head, with the head's labels in order. Until then the
 * workstation says plainly that nothing predicts the task, and the reader grades it.
 */
import { z } from 'zod';
import type { ModelManifest } from './package-schema.ts';

export const SLOT_SCHEMA_ID = 'neoscope.model-slot/1';

export const slotSchema = z.strictObject({
  schema: z.literal(SLOT_SCHEMA_ID),
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/),
  name: z.string().min(1),
  domain: z.enum(['retina', 'chest']),
  /** What one label row describes: one eye (ROP) or one film/infant (chest). */
  unit: z.enum(['eye', 'film']),
  heads: z
    .array(
      z.strictObject({
        name: z.string().regex(/^[a-z][a-z0-9_]*$/),
        description: z.string().min(1),
        labels: z.array(z.string().min(1)).min(2),
        /** The CSV column holding this head's label in a training set. */
        csvColumn: z.string().min(1),
      }),
    )
    .min(1),
  /** Columns every training CSV has besides the heads. */
  csv: z.strictObject({ image: z.string(), patient: z.string(), eye: z.string().optional() }),
  reference: z.string().min(1),
  note: z.string().optional(),
});

export type ModelSlot = z.infer<typeof slotSchema>;

/** Why a manifest does not fill the slot it names, or null when it does. */
export function slotMismatch(slot: ModelSlot, manifest: ModelManifest): string | null {
  if (manifest.domain !== slot.domain)
    return `domain ${manifest.domain}, slot wants ${slot.domain}`;
  for (const head of slot.heads) {
    const output = manifest.outputs.find((o) => o.name === head.name);
    if (!output) return `no output named ${head.name}`;
    if (output.kind !== 'probability' && output.kind !== 'logits')
      return `output ${head.name} is a ${output.kind}, not class scores`;
    if (JSON.stringify(output.labels ?? []) !== JSON.stringify(head.labels))
      return `output ${head.name} labels ${JSON.stringify(output.labels ?? [])} differ from the slot's ${JSON.stringify(head.labels)}`;
  }
  return null;
}
