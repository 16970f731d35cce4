/**
 * Fonts for PDF reports that can draw any patient's name. Text is split into runs, each
 * drawn with the first font that has its glyphs: Helvetica (the report's Latin face, in
 * the PDF's standard fonts) for what WinAnsi encodes, then Noto Sans slices for Latin
 * beyond it, Greek and Cyrillic, Noto Sans KR for Hangul, Noto Sans JP for kana, and
 * Noto Sans SC or JP for CJK ideographs (JP first when the text has kana or Hangul, the
 * Japanese and Korean forms being the closer ones there). A character no font has is
 * drawn as "?" and listed in `missing`.
 *
 * The Noto slices are embedded with pdf-lib's `subset: false`: @pdf-lib/fontkit's
 * subsetter silently drops CJK glyphs (pdf-lib issues #1232, #808). A slice is a few
 * hundred glyphs; when the PDF is saved, the outlines of those not drawn are emptied
 * (sfnt.ts `keepOnlyGlyphs`, glyph ids unchanged), so a name costs kilobytes, not the
 * slice. Bold Latin uses Helvetica-Bold and Noto Sans Bold; the CJK slices have one
 * weight, so bold there is drawn filled and stroked (text rendering mode 2).
 * Arabic, Hebrew and Thai are not covered: they need shaping or reordering pdf-lib lacks.
 */
import fontkit from '@pdf-lib/fontkit';
import {
  popGraphicsState,
  pushGraphicsState,
  rgb,
  setLineWidth,
  setStrokingColor,
  setTextRenderingMode,
  StandardFonts,
  TextRenderingMode,
  type Color,
  type PDFDocument,
  type PDFFont,
  type PDFPage,
} from 'pdf-lib';
import { keepOnlyGlyphs } from './sfnt.ts';
import {
  defaultFontsFolder,
  loadSliceCatalogue,
  type FontFamily,
  type FontSlice,
  type SliceCatalogue,
} from './font-slices.ts';

export interface TextOptions {
  size: number;
  bold?: boolean;
}

/** One glyph as drawn: its text, where it starts and its ink box, in points from the origin. */
export interface PlacedGlyph {
  text: string;
  x: number;
  advance: number;
  /** The glyph's id in its Noto slice; absent for Helvetica. */
  glyphId?: number;
  /** The glyph's bounding box (y up from the baseline); absent for blank glyphs. */
  box?: { xMin: number; yMin: number; xMax: number; yMax: number };
}

export interface TextRun {
  text: string;
  /** "Helvetica", "Helvetica-Bold" or the Noto slice file. */
  face: string;
  x: number;
  width: number;
  syntheticBold: boolean;
  glyphs: PlacedGlyph[];
}

export interface ReportFonts {
  widthOfText(text: string, size: number, options?: { bold?: boolean }): number;
  /** The runs and glyphs `drawText` draws for `text` (for wrapping, and for tests). */
  layout(text: string, options: TextOptions): TextRun[];
  drawText(
    page: PDFPage,
    text: string,
    options: TextOptions & { x: number; y: number; color?: Color },
  ): Promise<void>;
  /** Characters laid out as "?" so far because no shipped font has them. */
  readonly missing: ReadonlySet<string>;
}

const isHangul = (cp: number) =>
  (cp >= 0x1100 && cp <= 0x11ff) ||
  (cp >= 0x3130 && cp <= 0x318f) ||
  (cp >= 0xa960 && cp <= 0xa97f) ||
  (cp >= 0xac00 && cp <= 0xd7ff);
const isKana = (cp: number) =>
  (cp >= 0x3040 && cp <= 0x30ff) ||
  (cp >= 0x31f0 && cp <= 0x31ff) ||
  (cp >= 0xff61 && cp <= 0xff9f);
const isCjk = (cp: number) =>
  (cp >= 0x2e80 && cp <= 0x303f) || // radicals, CJK symbols and punctuation
  (cp >= 0x3400 && cp <= 0x4dbf) ||
  (cp >= 0x4e00 && cp <= 0x9fff) ||
  (cp >= 0xf900 && cp <= 0xfaff) ||
  (cp >= 0xff00 && cp <= 0xffef) || // full-width forms
  cp >= 0x20000;
/** Variation selectors and joiners: they select or join glyphs; pdf-lib cannot use them. */
const isIgnorable = (cp: number) =>
  (cp >= 0xfe00 && cp <= 0xfe0f) || cp === 0x200d || cp === 0x200c || cp === 0xfeff;

/** `japaneseForms`: the text has kana or Hangul, so ideographs take the Japanese forms. */
function familiesFor(cp: number, japaneseForms: boolean): FontFamily[] {
  if (isHangul(cp)) return ['noto-sans-kr'];
  if (isKana(cp)) return ['noto-sans-jp'];
  if (isCjk(cp))
    return japaneseForms ? ['noto-sans-jp', 'noto-sans-sc'] : ['noto-sans-sc', 'noto-sans-jp'];
  return ['noto-sans', 'noto-sans-jp', 'noto-sans-sc', 'noto-sans-kr'];
}

/** The catalogue of the shipped fonts, read once per process: it never changes. */
let shippedCatalogue: SliceCatalogue | undefined;

export async function embedReportFonts(
  doc: PDFDocument,
  options: { fontsFolder?: string } = {},
): Promise<ReportFonts> {
  const catalogue = options.fontsFolder
    ? loadSliceCatalogue(options.fontsFolder)
    : (shippedCatalogue ??= loadSliceCatalogue(defaultFontsFolder()));
  doc.registerFontkit(fontkit);
  const helvetica = {
    regular: doc.embedStandardFont(StandardFonts.Helvetica),
    bold: doc.embedStandardFont(StandardFonts.HelveticaBold),
  };
  const winAnsi = new Set(helvetica.regular.getCharacterSet());
  const embedded = new Map<FontSlice, Promise<PDFFont>>();
  const drawnGlyphs = new Map<FontSlice, Set<number>>();
  const slicesByFile = new Map<string, FontSlice>();
  const missing = new Set<string>();

  type Face = { kind: 'standard'; font: PDFFont } | { kind: 'slice'; slice: FontSlice };
  const faceFor = (cp: number, japaneseForms: boolean, bold: boolean): Face | undefined => {
    if (winAnsi.has(cp))
      return { kind: 'standard', font: bold ? helvetica.bold : helvetica.regular };
    for (const family of familiesFor(cp, japaneseForms)) {
      const slice =
        (bold ? catalogue.find(cp, family, 700) : undefined) ?? catalogue.find(cp, family, 400);
      if (slice) return { kind: 'slice', slice };
    }
    return undefined;
  };

  function layout(text: string, { size, bold = false }: TextOptions): TextRun[] {
    const runs: TextRun[] = [];
    let x = 0;
    let current: { face: Face; text: string } | undefined;
    const japaneseForms = [...text].some(
      (c) => isKana(c.codePointAt(0)!) || isHangul(c.codePointAt(0)!),
    );
    const close = () => {
      if (!current) return;
      const run = placeRun(current.face, current.text, x, size, bold);
      runs.push(run);
      x += run.width;
      current = undefined;
    };
    for (const original of text) {
      // Control characters (a line break in a name) would end pdf-lib's line: a space instead.
      const char = original.codePointAt(0)! < 0x20 || original === '\u007f' ? ' ' : original;
      const cp = char.codePointAt(0)!;
      if (isIgnorable(cp)) continue;
      let face = faceFor(cp, japaneseForms, bold);
      let piece = char;
      if (!face) {
        missing.add(char);
        face = { kind: 'standard', font: bold ? helvetica.bold : helvetica.regular };
        piece = '?';
      }
      const same =
        current &&
        (current.face.kind === 'standard'
          ? face.kind === 'standard' && face.font === current.face.font
          : face.kind === 'slice' && face.slice === current.face.slice);
      if (!same) close();
      current =
        same && current ? { ...current, text: current.text + piece } : { face, text: piece };
    }
    close();
    return runs;
  }

  function placeRun(face: Face, text: string, x: number, size: number, bold: boolean): TextRun {
    const glyphs: PlacedGlyph[] = [];
    let advance = 0;
    if (face.kind === 'standard') {
      // Drawn with Tj and no kerning: each glyph advances by its own width. The standard
      // font metrics have no glyph boxes: a letter's ink crosses its cell from the baseline
      // to Helvetica's x-height (523/1000 em).
      for (const char of text) {
        const width = face.font.widthOfTextAtSize(char, size);
        glyphs.push({
          text: char,
          x: x + advance,
          advance: width,
          ...(char.trim() ? { box: { xMin: 0, yMin: 0, xMax: width, yMax: 0.523 * size } } : {}),
        });
        advance += width;
      }
      return { text, face: face.font.name, x, width: advance, syntheticBold: false, glyphs };
    }
    slicesByFile.set(face.slice.file, face.slice);
    const font = catalogue.font(face.slice);
    const scale = size / font.unitsPerEm;
    // pdf-lib encodes the glyphs of font.layout() and places each by its advance width.
    for (const glyph of font.layout(text).glyphs) {
      const { minX, minY, maxX, maxY } = glyph.bbox;
      const box =
        maxX > minX && maxY > minY
          ? { xMin: minX * scale, yMin: minY * scale, xMax: maxX * scale, yMax: maxY * scale }
          : undefined;
      glyphs.push({
        text: String.fromCodePoint(...glyph.codePoints),
        glyphId: glyph.id,
        x: x + advance,
        advance: glyph.advanceWidth * scale,
        ...(box ? { box } : {}),
      });
      advance += glyph.advanceWidth * scale;
    }
    return {
      text,
      face: face.slice.file,
      x,
      width: advance,
      syntheticBold: bold && face.slice.weight < 700,
      glyphs,
    };
  }

  const pdfFontFor = (run: TextRun): Promise<PDFFont> => {
    if (run.face === helvetica.regular.name) return Promise.resolve(helvetica.regular);
    if (run.face === helvetica.bold.name) return Promise.resolve(helvetica.bold);
    const slice = slicesByFile.get(run.face)!;
    const drawn = drawnGlyphs.get(slice) ?? new Set<number>();
    drawnGlyphs.set(slice, drawn);
    for (const glyph of run.glyphs) if (glyph.glyphId !== undefined) drawn.add(glyph.glyphId);
    let font = embedded.get(slice);
    if (!font) {
      const sfnt = catalogue.sfnt(slice);
      font = doc.embedFont(sfnt, { subset: false }).then((pdfFont) => {
        // pdf-lib reads the font file only when the document is saved: by then `drawn`
        // holds every glyph of this slice that the report uses.
        const embedder = (pdfFont as unknown as { embedder?: { serializeFont?: unknown } })
          .embedder;
        if (embedder && typeof embedder.serializeFont === 'function')
          embedder.serializeFont = async () => keepOnlyGlyphs(sfnt, drawn);
        return pdfFont;
      });
      embedded.set(slice, font);
    }
    return font;
  };

  return {
    missing,
    layout,
    widthOfText: (text, size, opts = {}) =>
      layout(text, { size, bold: opts.bold }).reduce((sum, run) => sum + run.width, 0),
    async drawText(page, text, { x, y, size, bold = false, color = rgb(0, 0, 0) }) {
      for (const run of layout(text, { size, bold })) {
        const font = await pdfFontFor(run);
        if (run.syntheticBold)
          page.pushOperators(
            pushGraphicsState(),
            setTextRenderingMode(TextRenderingMode.FillAndOutline),
            setLineWidth(size * 0.03),
            setStrokingColor(color),
          );
        page.drawText(run.text, { x: x + run.x, y, size, font, color });
        if (run.syntheticBold) page.pushOperators(popGraphicsState());
      }
    },
  };
}
