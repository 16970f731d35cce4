import { readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
const buf = readFileSync(process.argv[2]);
const v = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
const n = v.getUint16(12);
const tables = {};
for (let i = 0; i < n; i++) {
  const o = 44 + i * 20;
  const tag = buf.subarray(o, o + 4).toString('latin1');
  const off = v.getUint32(o + 4),
    comp = v.getUint32(o + 8),
    orig = v.getUint32(o + 12);
  const data =
    comp < orig ? inflateSync(buf.subarray(off, off + comp)) : buf.subarray(off, off + orig);
  tables[tag] = data;
}
console.log(Object.keys(tables).join(' '));
const c = tables.cmap;
const cv = new DataView(c.buffer, c.byteOffset, c.byteLength);
console.log('cmap version', cv.getUint16(0), 'numTables', cv.getUint16(2), 'len', c.length);
for (let i = 0; i < cv.getUint16(2); i++) {
  const p = cv.getUint16(4 + i * 8),
    e = cv.getUint16(6 + i * 8),
    off = cv.getUint32(8 + i * 8);
  console.log(' sub', p, e, off, 'format', cv.getUint16(off));
}
// build sfnt
const tags = Object.keys(tables).sort();
const numTables = tags.length;
let offset = 12 + 16 * numTables;
const parts = [];
const dir = Buffer.alloc(12 + 16 * numTables);
dir.writeUInt32BE(v.getUint32(4), 0);
dir.writeUInt16BE(numTables, 4);
tags.forEach((t, i) => {
  const d = tables[t];
  dir.write(t, 12 + i * 16, 'latin1');
  dir.writeUInt32BE(0, 16 + i * 16);
  dir.writeUInt32BE(offset, 20 + i * 16);
  dir.writeUInt32BE(d.length, 24 + i * 16);
  const padded = Buffer.concat([d, Buffer.alloc((4 - (d.length % 4)) % 4)]);
  parts.push(padded);
  offset += padded.length;
});
const sfnt = Buffer.concat([dir, ...parts]);
const fontkit = (await import('@pdf-lib/fontkit')).default;
const f = fontkit.create(sfnt);
console.log('sfnt ok', f.characterSet.length, f.layout('\u4e4d').glyphs[0].id);
