/**
 * The Noto Sans slices in core/reports/fonts (see its README): which slice of a family
 * has a glyph for a code point, and the slice itself, read and unwrapped from WOFF on
 * first use. A slice is a small complete font (a few hundred glyphs), so a report embeds
 * the few slices its text needs whole, without subsetting.
 */
import fontkit from '@pdf-lib/fontkit';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { woffToSfnt } from './woff.ts';

export type FontFamily = 'noto-sans' | 'noto-sans-kr' | 'noto-sans-jp' | 'noto-sans-sc';

export interface FontSlice {
  family: FontFamily;
  weight: number;
  /** Path below the fonts folder. */
  file: string;
  /** Code points the slice's cmap maps, as inclusive ranges. */
  ranges: [number, number][];
}

export type SliceFont = ReturnType<typeof fontkit.create>;

export interface SliceCatalogue {
  /** The slice of the family (at that weight) that has a glyph for the code point. */
  find(codePoint: number, family: FontFamily, weight: number): FontSlice | undefined;
  /** The slice as a TrueType file. */
  sfnt(slice: FontSlice): Uint8Array;
  /** The slice parsed, for metrics and layout. */
  font(slice: FontSlice): SliceFont;
}

/**
 * core/reports/fonts beside this module, or, from a bundle in dist/, the same folder
 * found by walking up to the project (or packaged app) root.
 */
export function defaultFontsFolder(): string {
  let dir = typeof __dirname === 'string' ? __dirname : dirname(fileURLToPath(import.meta.url));
  for (;;) {
    for (const candidate of [join(dir, 'fonts'), join(dir, 'core', 'reports', 'fonts')])
      if (existsSync(join(candidate, 'slices.json'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('report fonts (core/reports/fonts/slices.json) not found');
    dir = parent;
  }
}

export function loadSliceCatalogue(folder: string = defaultFontsFolder()): SliceCatalogue {
  const { slices } = JSON.parse(readFileSync(join(folder, 'slices.json'), 'utf8')) as {
    slices: FontSlice[];
  };
  const byKey = new Map<string, Map<number, FontSlice>>();
  const sfnts = new Map<FontSlice, Uint8Array>();
  const fonts = new Map<FontSlice, SliceFont>();
  const index = (family: FontFamily, weight: number) => {
    const key = `${family}@${weight}`;
    let map = byKey.get(key);
    if (!map) {
      map = new Map();
      for (const slice of slices)
        if (slice.family === family && slice.weight === weight)
          for (const [first, last] of slice.ranges)
            for (let cp = first; cp <= last; cp++) if (!map.has(cp)) map.set(cp, slice);
      byKey.set(key, map);
    }
    return map;
  };
  const sfnt = (slice: FontSlice) => {
    let bytes = sfnts.get(slice);
    if (!bytes) {
      bytes = woffToSfnt(new Uint8Array(readFileSync(join(folder, slice.file))));
      sfnts.set(slice, bytes);
    }
    return bytes;
  };
  return {
    find: (codePoint, family, weight) => index(family, weight).get(codePoint),
    sfnt,
    font(slice) {
      let font = fonts.get(slice);
      if (!font) {
        font = fontkit.create(Buffer.from(sfnt(slice)));
        fonts.set(slice, font);
      }
      return font;
    },
  };
}
