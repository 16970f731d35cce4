/**
 * WOFF 1.0 (W3C Recommendation, 2012) to the plain TrueType/OpenType file it wraps. PDF
 * embeds sfnt fonts only (FontFile2/FontFile3), and pdf-lib's font parser reads the
 * plain file more reliably than the WOFF one. Each table is zlib-compressed unless its
 * compressed length equals its original length (section 5).
 */
import { inflateSync } from 'node:zlib';
import { viewOf, writeSfnt, type SfntTables } from './sfnt.ts';

const WOFF_SIGNATURE = 0x774f4646; // 'wOFF'

export function woffToSfnt(bytes: Uint8Array): Uint8Array {
  const view = viewOf(bytes);
  if (bytes.length < 44 || view.getUint32(0) !== WOFF_SIGNATURE)
    throw new Error('not a WOFF 1.0 font (no wOFF signature)');
  const tables: SfntTables = new Map();
  for (let i = 0; i < view.getUint16(12); i++) {
    const entry = 44 + i * 20;
    const tag = String.fromCharCode(...bytes.subarray(entry, entry + 4));
    const offset = view.getUint32(entry + 4);
    const compressed = view.getUint32(entry + 8);
    const original = view.getUint32(entry + 12);
    const stored = bytes.subarray(offset, offset + compressed);
    const data = compressed < original ? new Uint8Array(inflateSync(stored)) : stored;
    if (data.length !== original)
      throw new Error(`WOFF table ${tag} inflates to ${data.length} bytes, not ${original}`);
    tables.set(tag, data);
  }
  return writeSfnt(view.getUint32(4), tables);
}
