/**
 * The model slots shipped in models/slots/*.json, and which installed packages fill each.
 * A slot file that does not validate is a product defect: it throws, naming the file.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModelManifest } from './portable/package-schema.ts';
import { slotMismatch, slotSchema, type ModelSlot } from './portable/slot-schema.ts';

export interface SlotStatus {
  slot: ModelSlot;
  /** Verified packages that name this slot and match its heads. */
  filledBy: { id: string; version: string }[];
  /** Packages that name this slot but do not match it, with the reason. */
  mismatched: { id: string; version: string; reason: string }[];
}

export async function readSlots(folder: string): Promise<ModelSlot[]> {
  const names = await readdir(folder).catch(() => [] as string[]);
  const slots: ModelSlot[] = [];
  for (const name of names.filter((n) => n.endsWith('.json')).sort()) {
    const parsed = slotSchema.safeParse(JSON.parse(await readFile(join(folder, name), 'utf8')));
    if (!parsed.success)
      throw new Error(
        `${join(folder, name)}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
    slots.push(parsed.data);
  }
  return slots;
}

export function slotStatuses(slots: ModelSlot[], installed: ModelManifest[]): SlotStatus[] {
  return slots.map((slot) => {
    const claiming = installed.filter((m) => m.slot === slot.id);
    const status: SlotStatus = { slot, filledBy: [], mismatched: [] };
    for (const m of claiming) {
      const reason = slotMismatch(slot, m);
      if (reason) status.mismatched.push({ id: m.id, version: m.version, reason });
      else status.filledBy.push({ id: m.id, version: m.version });
    }
    return status;
  });
}
