/**
 * A zip writer that does what ordinary zip tools refuse to: duplicate names, names such as
 * `../x` or `/abs`, declared sizes that lie, many entries sharing one compressed body (a
 * "zip bomb" of a few MB that declares gigabytes), zip64 sizes. For the archive fuzzer and
 * the archive tests only; NeoScope itself writes zips with fflate.
 */
import { crc32, deflateRawSync } from 'node:zlib';

export interface RawEntry {
  name: string;
  /** The bytes as they lie in the archive (already deflated when method is 8). */
  data: Uint8Array;
  method: 0 | 8;
  crc: number;
  /** Declared expanded size (the central directory's; zip64 when ≥ 0xffffffff). */
  size: number;
  /** Declared compressed size; data.length unless a test wants it to lie. */
  compressedSize?: number;
  /** A different name in the local header than in the central directory. */
  localName?: string;
  /** Only a central-directory record, pointing at this offset (overlapping entries). */
  pointsAt?: number;
}

/** An entry holding `bytes`, deflated (method 8) or stored (method 0). */
export function entry(name: string, bytes: Uint8Array, method: 0 | 8 = 8): RawEntry {
  return {
    name,
    data: method === 8 ? new Uint8Array(deflateRawSync(bytes, { level: 9 })) : bytes,
    method,
    crc: crc32(bytes),
    size: bytes.length,
  };
}

const u16 = (v: number) => [v & 0xff, (v >>> 8) & 0xff];
const u32 = (v: number) => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
const u64 = (v: number) => [...u32(v % 2 ** 32), ...u32(Math.floor(v / 2 ** 32))];

/** The archive's bytes: local headers and data, central directory, end record (zip64 when needed). */
export function rawZip(entries: RawEntry[], options: { comment?: string } = {}): Uint8Array {
  const encoder = new TextEncoder();
  const parts: Uint8Array[] = [];
  const central: number[][] = [];
  let offset = 0;
  let zip64Needed = entries.length >= 0xffff;
  for (const e of entries) {
    const name = encoder.encode(e.name);
    const localName = encoder.encode(e.localName ?? e.name);
    const compressed = e.compressedSize ?? e.data.length;
    const big = e.size >= 0xffffffff || compressed >= 0xffffffff || offset >= 0xffffffff;
    if (big) zip64Needed = true;
    const at = e.pointsAt ?? offset;
    const extra = big
      ? [...u16(1), ...u16(24), ...u64(e.size), ...u64(compressed), ...u64(at)]
      : [];
    const sizes = big
      ? [...u32(0xffffffff), ...u32(0xffffffff)]
      : [...u32(compressed), ...u32(e.size)];
    const local = [
      ...u32(0x04034b50),
      ...u16(big ? 45 : 20),
      ...u16(0x800),
      ...u16(e.method),
      ...u16(0),
      ...u16(0x21),
      ...u32(e.crc),
      ...(big ? [...u32(0xffffffff), ...u32(0xffffffff)] : [...u32(compressed), ...u32(e.size)]),
      ...u16(localName.length),
      ...u16(0),
    ];
    if (e.pointsAt === undefined) parts.push(new Uint8Array(local), localName, e.data);
    central.push([
      ...u32(0x02014b50),
      ...u16(big ? 45 : 20),
      ...u16(big ? 45 : 20),
      ...u16(0x800),
      ...u16(e.method),
      ...u16(0),
      ...u16(0x21),
      ...u32(e.crc),
      ...sizes,
      ...u16(name.length),
      ...u16(extra.length),
      ...u16(0),
      ...u16(0),
      ...u16(0),
      ...u32(0),
      ...u32(big ? 0xffffffff : at),
      ...name,
      ...extra,
    ]);
    if (e.pointsAt === undefined) offset += local.length + localName.length + e.data.length;
  }
  const cdStart = offset;
  for (const c of central) {
    parts.push(new Uint8Array(c));
    offset += c.length;
  }
  const cdSize = offset - cdStart;
  const comment = encoder.encode(options.comment ?? '');
  if (zip64Needed) {
    const eocd64 = [
      ...u32(0x06064b50),
      ...u64(44),
      ...u16(45),
      ...u16(45),
      ...u32(0),
      ...u32(0),
      ...u64(entries.length),
      ...u64(entries.length),
      ...u64(cdSize),
      ...u64(cdStart),
    ];
    const locator = [...u32(0x07064b50), ...u32(0), ...u64(offset), ...u32(1)];
    parts.push(new Uint8Array(eocd64), new Uint8Array(locator));
  }
  const count = zip64Needed ? 0xffff : entries.length;
  parts.push(
    new Uint8Array([
      ...u32(0x06054b50),
      ...u16(0),
      ...u16(0),
      ...u16(count),
      ...u16(count),
      ...u32(zip64Needed ? 0xffffffff : cdSize),
      ...u32(zip64Needed ? 0xffffffff : cdStart),
      ...u16(comment.length),
    ]),
    comment,
  );
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The probe's bomb: `count` entries of `entryBytes` zeros, all sharing one deflated body. */
export function zeroBomb(count: number, entryBytes = 1024 * 1024, prefix = 'zeros'): Uint8Array {
  const kernel = entry('k', new Uint8Array(entryBytes));
  return rawZip(
    Array.from({ length: count }, (_, i) => ({ ...kernel, name: `${prefix}-${i}.dcm` })),
  );
}
