/**
 * Report fonts draw Hangul, Japanese and Chinese names: a one-page PDF is rasterised by
 * poppler (pdftoppm -r 150) and every glyph box, computed from the metrics of the font
 * that drew it, must hold ink, with different ink for different characters (a missing
 * glyph box would look the same each time). pdftotext alone would prove nothing: text
 * extraction works from the ToUnicode map even when no glyph is drawn.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { defaultFontsFolder, loadSliceCatalogue } from './font-slices.ts';
import { embedReportFonts, type PlacedGlyph } from './pdf-fonts.ts';
import { keepOnlyGlyphs } from './sfnt.ts';

const DPI = 150;
const PAGE = { width: 595, height: 842 };
const LINES = [
  { text: '홍길동 Hong Gildong', bold: false },
  { text: '山田 太郎 やまだ たろう', bold: false },
  { text: '王小东 张伟', bold: false },
  { text: 'Łódź Διονυσιος Люксембург', bold: false },
  { text: '홍길동 山田 王小东', bold: true },
];

async function rasterise(pdf: Uint8Array) {
  const dir = mkdtempSync(join(tmpdir(), 'neoscope-fonts-'));
  writeFileSync(join(dir, 'page.pdf'), pdf);
  execFileSync('pdftoppm', [
    '-r',
    String(DPI),
    '-png',
    '-singlefile',
    join(dir, 'page.pdf'),
    join(dir, 'page'),
  ]);
  const { data, info } = await sharp(join(dir, 'page.png'))
    .greyscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const ink = (box: { x0: number; y0: number; x1: number; y1: number }) => {
    // PDF points, y up → pixels, y down.
    const s = DPI / 72;
    const [c0, c1] = [Math.floor(box.x0 * s), Math.ceil(box.x1 * s)];
    const [r0, r1] = [
      Math.floor((PAGE.height - box.y1) * s),
      Math.ceil((PAGE.height - box.y0) * s),
    ];
    const bits: number[] = [];
    for (let r = r0; r < r1; r++)
      for (let c = c0; c < c1; c++)
        bits.push(data[r * info.width + c * info.channels]! < 128 ? 1 : 0);
    return { dark: bits.reduce((a, b) => a + b, 0), area: bits.length, pattern: bits.join('') };
  };
  return { ink, dir };
}

test('Hangul, Japanese, Chinese and Latin names have ink in every glyph box', async () => {
  const doc = await PDFDocument.create();
  const page = doc.addPage([PAGE.width, PAGE.height]);
  const fonts = await embedReportFonts(doc);
  const placed: { line: string; glyph: PlacedGlyph; x: number; y: number }[] = [];
  let y = 760;
  for (const { text, bold } of LINES) {
    const size = 28;
    for (const run of fonts.layout(text, { size, bold }))
      for (const glyph of run.glyphs) placed.push({ line: text, glyph, x: 40, y });
    await fonts.drawText(page, text, { x: 40, y, size, bold });
    y -= 60;
  }
  assert.deepEqual([...fonts.missing], []);
  const pdf = await doc.save();
  const { ink, dir } = await rasterise(pdf);

  const patterns = new Map<string, string>();
  for (const { line, glyph, x, y: baseline } of placed) {
    if (!glyph.text.trim()) continue;
    assert.ok(glyph.box, `"${glyph.text}" in "${line}" has a glyph box`);
    const box = {
      x0: x + glyph.x + glyph.box.xMin,
      x1: x + glyph.x + glyph.box.xMax,
      y0: baseline + glyph.box.yMin,
      y1: baseline + glyph.box.yMax,
    };
    const { dark, area, pattern } = ink(box);
    assert.ok(
      dark >= 10 && dark / area > 0.04,
      `"${glyph.text}" in "${line}": ${dark} of ${area} pixels inked`,
    );
    if (/[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7a3]/.test(glyph.text) && !patterns.has(glyph.text))
      patterns.set(glyph.text, pattern);
  }
  const distinct = new Set(patterns.values());
  assert.equal(distinct.size, patterns.size, 'each CJK character is drawn with its own glyph');
  // Nothing is drawn where no text is.
  assert.equal(ink({ x0: 300, x1: 590, y0: 20, y1: 400 }).dark, 0);

  // The embedded slices keep only the drawn outlines: a few kilobytes each.
  assert.ok(pdf.length < 120_000, `PDF is ${pdf.length} bytes`);
  const text = execFileSync('pdftotext', [join(dir, 'page.pdf'), '-'], { encoding: 'utf8' });
  for (const { text: line } of LINES) assert.ok(text.includes(line), `pdftotext: ${text}`);
});

test('widths match the drawn runs; characters no font has become "?" and are listed', async () => {
  const doc = await PDFDocument.create();
  const fonts = await embedReportFonts(doc);
  const runs = fonts.layout('Kim 김 金', { size: 10 });
  assert.deepEqual(
    runs.map((r) => r.face.replace(/\/.*/, '')),
    ['Helvetica', 'noto-sans-kr', 'Helvetica', 'noto-sans-jp'],
    'hanja beside Hangul take the traditional forms of the Japanese font',
  );
  assert.match(fonts.layout('王小东', { size: 10 })[0]!.face, /^noto-sans-sc\//);
  const total = runs.reduce((n, r) => n + r.width, 0);
  assert.equal(fonts.widthOfText('Kim 김 金', 10), total);
  assert.equal(runs[1]!.x, runs[0]!.width);
  assert.ok(fonts.widthOfText('김', 20) > 15 && fonts.widthOfText('김', 20) <= 20.5);
  assert.ok(
    fonts.widthOfText('Kim', 10, { bold: true }) > fonts.widthOfText('Kim', 10),
    'bold Latin is Helvetica-Bold',
  );
  assert.equal(fonts.layout('ש', { size: 10 })[0]!.text, '?');
  assert.deepEqual([...fonts.missing], ['ש']);
  // Kana in the text selects the Japanese forms of ideographs.
  assert.match(fonts.layout('山田やまだ', { size: 10 })[0]!.face, /^noto-sans-jp\//);
});

test('every Hangul syllable has an outline in the shipped Korean slices', () => {
  const catalogue = loadSliceCatalogue();
  let checked = 0;
  for (let cp = 0xac00; cp <= 0xd7a3; cp++) {
    const slice = catalogue.find(cp, 'noto-sans-kr', 400);
    assert.ok(slice, `U+${cp.toString(16)} has a slice`);
    const glyph = catalogue.font(slice).glyphForCodePoint(cp);
    assert.ok(
      glyph.id > 0 && glyph.bbox.maxX > glyph.bbox.minX,
      `U+${cp.toString(16)} has an outline`,
    );
    checked++;
  }
  assert.equal(checked, 11172);
  assert.ok(readdirSync(join(defaultFontsFolder(), 'noto-sans-kr')).includes('LICENSE'));
});

test('keepOnlyGlyphs empties the other outlines and keeps ids, widths and cmap', () => {
  const catalogue = loadSliceCatalogue();
  const slice = catalogue.find('山'.codePointAt(0)!, 'noto-sans-jp', 400)!;
  const whole = catalogue.font(slice);
  const keep = whole.glyphForCodePoint('山'.codePointAt(0)!).id;
  const other = whole.characterSet.find(
    (cp) => whole.glyphForCodePoint(cp).id !== keep && cp > 0x3000,
  )!;
  const cut = fontkit.create(Buffer.from(keepOnlyGlyphs(catalogue.sfnt(slice), [keep])));
  assert.equal(cut.numGlyphs, whole.numGlyphs);
  assert.equal(cut.glyphForCodePoint('山'.codePointAt(0)!).id, keep);
  assert.ok(cut.glyphForCodePoint('山'.codePointAt(0)!).path.toSVG().length > 50);
  assert.equal(cut.glyphForCodePoint(other).path.toSVG(), '');
  assert.equal(
    cut.glyphForCodePoint(other).advanceWidth,
    whole.glyphForCodePoint(other).advanceWidth,
  );
  assert.ok(readFileSync(join(defaultFontsFolder(), 'slices.json')).length > 0);
});
