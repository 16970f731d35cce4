/**
 * Turns a frame's little-endian bytes into stored pixel values: bits above Bits Stored
 * are masked off and signed data is sign-extended from its high bit (PS3.5 8.1.1 and
 * PS3.3 C.7.6.3.1: only Bits Stored bits carry the value; overlays once lived above).
 */
import type { ImagePixelModule } from './image-pixel-module.ts';

export type StoredValues =
  Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array;

export function toStoredValues(bytes: Uint8Array, module: ImagePixelModule): StoredValues {
  const signed = module.pixelRepresentation === 1;
  const { bitsAllocated, bitsStored } = module;
  if (bitsAllocated === 1)
    return unpackBits(bytes, module.rows * module.columns * module.samplesPerPixel);
  const aligned = bytes.byteOffset % (bitsAllocated / 8) === 0 ? bytes : bytes.slice();
  const count = aligned.byteLength / (bitsAllocated / 8);
  let values: StoredValues;
  if (bitsAllocated === 8)
    values = signed ? new Int8Array(aligned.buffer, aligned.byteOffset, count) : aligned;
  else if (bitsAllocated === 16)
    values = signed
      ? new Int16Array(aligned.buffer, aligned.byteOffset, count)
      : new Uint16Array(aligned.buffer, aligned.byteOffset, count);
  else
    values = signed
      ? new Int32Array(aligned.buffer, aligned.byteOffset, count)
      : new Uint32Array(aligned.buffer, aligned.byteOffset, count);
  if (bitsStored === bitsAllocated) return values;

  const mask = bitsStored >= 32 ? 0xffffffff : 2 ** bitsStored - 1;
  const signBit = 2 ** (bitsStored - 1);
  const copy = values.slice();
  for (let i = 0; i < copy.length; i++) {
    // Work on the unsigned bit pattern, then sign-extend from Bits Stored.
    let pattern = (values[i]! >>> 0) & mask;
    if (signed && pattern >= signBit) pattern -= 2 ** bitsStored;
    copy[i] = pattern;
  }
  return copy;
}

function unpackBits(bytes: Uint8Array, count: number): Uint8Array {
  const out = new Uint8Array(count);
  for (let i = 0; i < count; i++) out[i] = (bytes[i >> 3]! >> (i & 7)) & 1;
  return out;
}

export function valueRange(values: ArrayLike<number>): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return values.length ? { min, max } : { min: 0, max: 0 };
}
