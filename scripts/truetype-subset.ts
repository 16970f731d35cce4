/**
 * Cuts a TrueType (glyf) font down to the glyphs of some code points, renumbered from 0
 * (.notdef), composite components included, and writes it as WOFF 1.0. Used when
 * vendoring report fonts, to split a large slice into pieces a PDF can embed whole.
 *
 * Kept: head, hhea, maxp, OS/2, name, cvt, fpgm, prep, gasp (font-wide), and glyf, loca
 * (long offsets, every glyph padded to 4 bytes), hmtx, cmap (format 4) and post (format
 * 3) rebuilt for the new glyph order. Dropped: tables that index glyphs by the old
 * numbers (GSUB, GPOS, GDEF, vhea, vmtx, kern, hdmx, LTSH, VDMX, STAT).
 */
import { deflateSync } from 'node:zlib';
import {
  componentOffsets,
  glyphReader,
  readSfnt,
  tableChecksum,
  viewOf,
  type SfntTables,
} from '../core/reports/sfnt.ts';

type Tables = SfntTables;

function cmapFormat4(mapping: [number, number][]): Uint8Array {
  // Segments of consecutive code points with consecutive glyph ids, then the 0xFFFF end.
  const segments: { start: number; end: number; delta: number }[] = [];
  for (const [cp, gid] of mapping) {
    const last = segments[segments.length - 1];
    if (last && cp === last.end + 1 && gid - cp === last.delta) last.end = cp;
    else segments.push({ start: cp, end: cp, delta: gid - cp });
  }
  segments.push({ start: 0xffff, end: 0xffff, delta: 1 });
  const n = segments.length;
  const length = 16 + n * 8;
  const table = new Uint8Array(12 + length);
  const v = viewOf(table);
  v.setUint16(0, 0); // cmap version
  v.setUint16(2, 1); // one encoding record
  v.setUint16(4, 3); // Windows
  v.setUint16(6, 1); // Unicode BMP
  v.setUint32(8, 12);
  const f = 12;
  const searchRange = 2 * 2 ** Math.floor(Math.log2(n));
  v.setUint16(f, 4);
  v.setUint16(f + 2, length);
  v.setUint16(f + 6, n * 2);
  v.setUint16(f + 8, searchRange);
  v.setUint16(f + 10, Math.log2(searchRange / 2));
  v.setUint16(f + 12, n * 2 - searchRange);
  segments.forEach((s, i) => {
    v.setUint16(f + 14 + i * 2, s.end);
    v.setUint16(f + 16 + n * 2 + i * 2, s.start);
    v.setUint16(f + 16 + n * 4 + i * 2, s.delta & 0xffff);
    v.setUint16(f + 16 + n * 6 + i * 2, 0);
  });
  return table;
}

function woff(flavor: number, tables: Tables): Uint8Array {
  const entries = [...tables].sort(([a], [b]) => (a < b ? -1 : 1));
  const padded = (n: number) => (n + 3) & ~3;
  const packed = entries.map(([tag, data]) => {
    const z = new Uint8Array(deflateSync(data));
    return { tag, data, stored: z.length < data.length ? z : data };
  });
  const headerLength = 44 + 20 * packed.length;
  const total = packed.reduce((n, p) => n + padded(p.stored.length), headerLength);
  const out = new Uint8Array(total);
  const v = viewOf(out);
  v.setUint32(0, 0x774f4646);
  v.setUint32(4, flavor);
  v.setUint32(8, total);
  v.setUint16(12, packed.length);
  v.setUint32(
    16,
    packed.reduce((n, p) => n + padded(p.data.length), 12 + 16 * packed.length),
  );
  v.setUint16(20, 1); // version 1.0 of the font data
  let offset = headerLength;
  packed.forEach((p, i) => {
    const record = 44 + i * 20;
    for (let k = 0; k < 4; k++) out[record + k] = p.tag.charCodeAt(k);
    v.setUint32(record + 4, offset);
    v.setUint32(record + 8, p.stored.length);
    v.setUint32(record + 12, p.data.length);
    v.setUint32(record + 16, tableChecksum(p.data));
    out.set(p.stored, offset);
    offset += padded(p.stored.length);
  });
  return out;
}

/**
 * `glyphFor`: the font's glyph id for a code point (from its cmap, e.g. via fontkit).
 * Code points without a glyph are left out.
 */
export function subsetTrueTypeToWoff(
  sfnt: Uint8Array,
  codePoints: number[],
  glyphFor: (codePoint: number) => number,
): Uint8Array {
  const { flavor, tables } = readSfnt(sfnt);
  const head = tables.get('head')!;
  const glyphBytes = glyphReader(tables);

  const order: number[] = [0];
  const newId = new Map<number, number>([[0, 0]]);
  const include = (gid: number): number => {
    let id = newId.get(gid);
    if (id === undefined) {
      id = order.length;
      order.push(gid);
      newId.set(gid, id);
      for (const at of componentOffsets(glyphBytes(gid)))
        include(viewOf(glyphBytes(gid)).getUint16(at));
    }
    return id;
  };
  const mapping: [number, number][] = [];
  for (const cp of [...new Set(codePoints)].sort((a, b) => a - b)) {
    const gid = glyphFor(cp);
    if (gid > 0 && cp <= 0xffff) mapping.push([cp, include(gid)]);
  }

  const pieces = order.map((gid) => {
    const bytes = glyphBytes(gid).slice();
    for (const at of componentOffsets(bytes))
      viewOf(bytes).setUint16(at, newId.get(viewOf(bytes).getUint16(at))!);
    const padded = new Uint8Array((bytes.length + 3) & ~3);
    padded.set(bytes);
    return padded;
  });
  const newGlyf = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0));
  const newLoca = new Uint8Array((order.length + 1) * 4);
  let offset = 0;
  pieces.forEach((piece, i) => {
    viewOf(newLoca).setUint32(i * 4, offset);
    newGlyf.set(piece, offset);
    offset += piece.length;
  });
  viewOf(newLoca).setUint32(order.length * 4, offset);

  const hhea = tables.get('hhea')!.slice();
  const oldMetrics = viewOf(hhea).getUint16(34);
  const hmtx = viewOf(tables.get('hmtx')!);
  const newHmtx = new Uint8Array(order.length * 4);
  order.forEach((gid, i) => {
    const metric = Math.min(gid, oldMetrics - 1);
    viewOf(newHmtx).setUint16(i * 4, hmtx.getUint16(metric * 4));
    viewOf(newHmtx).setInt16(
      i * 4 + 2,
      gid < oldMetrics
        ? hmtx.getInt16(gid * 4 + 2)
        : hmtx.getInt16(oldMetrics * 4 + (gid - oldMetrics) * 2),
    );
  });
  viewOf(hhea).setUint16(34, order.length);
  const maxp = tables.get('maxp')!.slice();
  viewOf(maxp).setUint16(4, order.length);
  const newHead = head.slice();
  viewOf(newHead).setUint32(8, 0); // checkSumAdjustment: not used by PDF readers
  viewOf(newHead).setInt16(50, 1);
  const post = tables.get('post')!.slice(0, 32);
  viewOf(post).setUint32(0, 0x00030000);

  const out: Tables = new Map([
    ['head', newHead],
    ['hhea', hhea],
    ['maxp', maxp],
    ['hmtx', newHmtx],
    ['loca', newLoca],
    ['glyf', newGlyf],
    ['cmap', cmapFormat4(mapping)],
    ['post', post],
  ]);
  for (const tag of ['OS/2', 'name', 'cvt ', 'fpgm', 'prep', 'gasp'])
    if (tables.has(tag)) out.set(tag, tables.get(tag)!);
  return woff(flavor, out);
}
