/**
 * Just enough of the OpenType file format (sfnt tables, TrueType glyf/loca) to keep in
 * an embedded font only the glyphs a PDF draws. Glyph ids are left as they are: the
 * other glyphs become empty, so widths, cmap and the PDF's Identity CIDToGIDMap all stay
 * valid while the outlines shrink to those used.
 */

export type SfntTables = Map<string, Uint8Array>;

export const viewOf = (bytes: Uint8Array) =>
  new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);

export function readSfnt(sfnt: Uint8Array): { flavor: number; tables: SfntTables } {
  const view = viewOf(sfnt);
  const tables: SfntTables = new Map();
  for (let i = 0; i < view.getUint16(4); i++) {
    const record = 12 + i * 16;
    const tag = String.fromCharCode(...sfnt.subarray(record, record + 4));
    const offset = view.getUint32(record + 8);
    tables.set(tag, sfnt.subarray(offset, offset + view.getUint32(record + 12)));
  }
  return { flavor: view.getUint32(0), tables };
}

export function tableChecksum(bytes: Uint8Array): number {
  const padded = new Uint8Array((bytes.length + 3) & ~3);
  padded.set(bytes);
  const view = viewOf(padded);
  let sum = 0;
  for (let i = 0; i < padded.length; i += 4) sum = (sum + view.getUint32(i)) >>> 0;
  return sum;
}

/** An sfnt file: header, table records in tag order, each table 4-byte aligned. */
export function writeSfnt(flavor: number, tables: SfntTables): Uint8Array {
  const entries = [...tables].sort(([a], [b]) => (a < b ? -1 : 1));
  const padded = (n: number) => (n + 3) & ~3;
  const headerLength = 12 + 16 * entries.length;
  const out = new Uint8Array(entries.reduce((n, [, d]) => n + padded(d.length), headerLength));
  const view = viewOf(out);
  const entrySelector = Math.floor(Math.log2(entries.length));
  view.setUint32(0, flavor);
  view.setUint16(4, entries.length);
  view.setUint16(6, 16 * 2 ** entrySelector);
  view.setUint16(8, entrySelector);
  view.setUint16(10, entries.length * 16 - 16 * 2 ** entrySelector);
  let offset = headerLength;
  entries.forEach(([tag, data], i) => {
    const record = 12 + i * 16;
    for (let k = 0; k < 4; k++) out[record + k] = tag.charCodeAt(k);
    view.setUint32(record + 4, tableChecksum(data));
    view.setUint32(record + 8, offset);
    view.setUint32(record + 12, data.length);
    out.set(data, offset);
    offset += padded(data.length);
  });
  return out;
}

const ARG_1_AND_2_ARE_WORDS = 0x0001;
const WE_HAVE_A_SCALE = 0x0008;
const MORE_COMPONENTS = 0x0020;
const WE_HAVE_AN_X_AND_Y_SCALE = 0x0040;
const WE_HAVE_A_TWO_BY_TWO = 0x0080;

/** Byte offsets of the glyph index of each component of a composite glyph ("glyf"). */
export function componentOffsets(glyph: Uint8Array): number[] {
  const view = viewOf(glyph);
  if (glyph.length < 10 || view.getInt16(0) >= 0) return [];
  const offsets: number[] = [];
  let at = 10;
  for (;;) {
    const flags = view.getUint16(at);
    offsets.push(at + 2);
    at += 4 + (flags & ARG_1_AND_2_ARE_WORDS ? 4 : 2);
    if (flags & WE_HAVE_A_SCALE) at += 2;
    else if (flags & WE_HAVE_AN_X_AND_Y_SCALE) at += 4;
    else if (flags & WE_HAVE_A_TWO_BY_TWO) at += 8;
    if (!(flags & MORE_COMPONENTS)) return offsets;
  }
}

/** A function giving each glyph's outline bytes, whatever the loca format. */
export function glyphReader(tables: SfntTables): (gid: number) => Uint8Array {
  const longLoca = viewOf(tables.get('head')!).getInt16(50) === 1;
  const loca = viewOf(tables.get('loca')!);
  const glyf = tables.get('glyf')!;
  return (gid) => {
    const [start, end] = longLoca
      ? [loca.getUint32(gid * 4), loca.getUint32(gid * 4 + 4)]
      : [loca.getUint16(gid * 2) * 2, loca.getUint16(gid * 2 + 2) * 2];
    return glyf.subarray(start, end);
  };
}

/**
 * The font with every glyph emptied except .notdef, `keep` and their components; loca
 * becomes long so that no glyph needs padding to an even length.
 */
export function keepOnlyGlyphs(sfnt: Uint8Array, keep: Iterable<number>): Uint8Array {
  const { flavor, tables } = readSfnt(sfnt);
  if (!tables.has('glyf')) return sfnt; // CFF outlines: left whole
  const glyph = glyphReader(tables);
  const numGlyphs = viewOf(tables.get('maxp')!).getUint16(4);
  const kept = new Set<number>();
  const include = (gid: number) => {
    if (gid >= numGlyphs || kept.has(gid)) return;
    kept.add(gid);
    const bytes = glyph(gid);
    for (const at of componentOffsets(bytes)) include(viewOf(bytes).getUint16(at));
  };
  include(0);
  for (const gid of keep) include(gid);

  const pieces = [...kept].sort((a, b) => a - b).map((gid) => ({ gid, bytes: glyph(gid) }));
  const glyf = new Uint8Array(pieces.reduce((n, p) => n + ((p.bytes.length + 3) & ~3), 0));
  const loca = new Uint8Array((numGlyphs + 1) * 4);
  let offset = 0;
  let next = 0;
  for (let gid = 0; gid <= numGlyphs; gid++) {
    viewOf(loca).setUint32(gid * 4, offset);
    const piece = pieces[next];
    if (piece?.gid === gid) {
      glyf.set(piece.bytes, offset);
      offset += (piece.bytes.length + 3) & ~3;
      next++;
    }
  }
  const head = tables.get('head')!.slice();
  viewOf(head).setInt16(50, 1);
  const out = new Map(tables);
  out.set('head', head);
  out.set('loca', loca);
  out.set('glyf', glyf.subarray(0, offset));
  return writeSfnt(flavor, out);
}
