/**
 * Seeded mutations of real DICOM files, aimed where parsers break: random bit flips,
 * truncation, corrupted element length fields and VRs, inserted and deleted bytes.
 */
import dicomParser from '../dicom-parser-module.ts';

export { seededRandom as createRandom } from '../../base/seeded-random.ts';

export type MutationKind = 'bit-flips' | 'truncate' | 'length-field' | 'vr' | 'insert' | 'delete';
export const MUTATION_KINDS: MutationKind[] = [
  'bit-flips',
  'truncate',
  'length-field',
  'vr',
  'insert',
  'delete',
];

/** Offsets of element headers, from a clean parse of the original. */
export function elementOffsets(bytes: Uint8Array): number[] {
  try {
    const dataSet = dicomParser.parseDicom(bytes, { untilTag: 'x7fe00010' });
    return Object.values(dataSet.elements)
      .map((e) => e.dataOffset)
      .filter((o) => o >= 8);
  } catch {
    return [];
  }
}

export function mutate(
  original: Uint8Array,
  offsets: number[],
  kind: MutationKind,
  random: () => number,
): Uint8Array {
  const pick = (n: number) => Math.floor(random() * n);
  switch (kind) {
    case 'bit-flips': {
      const copy = original.slice();
      for (let i = 0, n = 1 + pick(8); i < n; i++) copy[pick(copy.length)]! ^= 1 << pick(8);
      return copy;
    }
    case 'truncate':
      return original.slice(0, pick(original.length));
    case 'length-field': {
      const copy = original.slice();
      const at = offsets.length ? offsets[pick(offsets.length)]! : pick(copy.length);
      // The length sits just before the value: 2 bytes (short VRs) or 4 (long VRs, implicit).
      const width = random() < 0.5 ? 2 : 4;
      const values = [0, 1, 0xff, 0xffff, 0xfffffffe, 0xffffffff, pick(1 << 24)];
      const value = values[pick(values.length)]!;
      for (let b = 0; b < width && at - width + b >= 0; b++)
        copy[at - width + b] = (value >>> (8 * b)) & 0xff;
      return copy;
    }
    case 'vr': {
      const copy = original.slice();
      const at = offsets.length ? offsets[pick(offsets.length)]! : pick(copy.length);
      const vrs = ['SQ', 'OB', 'UN', 'US', 'UL', 'XX', '\0\0', 'OW'];
      const vr = vrs[pick(vrs.length)]!;
      const position = Math.max(0, at - (random() < 0.5 ? 4 : 8));
      copy[position] = vr.charCodeAt(0);
      copy[position + 1] = vr.charCodeAt(1);
      return copy;
    }
    case 'insert': {
      const at = pick(original.length);
      const extra = new Uint8Array(1 + pick(16)).map(() => pick(256));
      const copy = new Uint8Array(original.length + extra.length);
      copy.set(original.subarray(0, at));
      copy.set(extra, at);
      copy.set(original.subarray(at), at + extra.length);
      return copy;
    }
    case 'delete': {
      const at = pick(original.length);
      const count = Math.min(1 + pick(16), original.length - at);
      const copy = new Uint8Array(original.length - count);
      copy.set(original.subarray(0, at));
      copy.set(original.subarray(at + count), at);
      return copy;
    }
  }
}
