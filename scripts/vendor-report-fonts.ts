/**
 * Copies the Noto Sans slices that PDF reports draw non-Latin text with from unpacked
 * Fontsource packages into core/reports/fonts/, and writes slices.json: for each slice
 * file, its family, weight and the code points its cmap really maps.
 *
 *   mkdir /tmp/report-fonts && cd /tmp/report-fonts
 *   for p in noto-sans noto-sans-kr noto-sans-jp noto-sans-sc; do
 *     npm pack @fontsource/$p@5.3.0 && mkdir $p && tar xzf fontsource-$p-5.3.0.tgz -C $p
 *   done
 *   npx tsx scripts/vendor-report-fonts.ts /tmp/report-fonts
 */
import fontkit from '@pdf-lib/fontkit';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { woffToSfnt } from '../core/reports/woff.ts';
import { subsetTrueTypeToWoff } from './truetype-subset.ts';

const target = fileURLToPath(new URL('../core/reports/fonts/', import.meta.url));

/** Which Fontsource files each family contributes (all weight 400 unless listed). */
const SELECTION: {
  family: string;
  pattern: RegExp;
  split?: (codePoints: number[]) => number[][];
}[] = [
  // Latin beyond WinAnsi, Greek, Cyrillic, Vietnamese; bold too, these are small.
  {
    family: 'noto-sans',
    pattern:
      /^noto-sans-(latin|latin-ext|greek|greek-ext|cyrillic|cyrillic-ext|vietnamese)-(400|700)-normal\.woff$/,
  },
  // All 11,172 Hangul syllables and the jamo: one 850 kB slice, cut into pieces of 256
  // syllables so that a report embeds tens of kilobytes for a name, not the whole slice.
  {
    family: 'noto-sans-kr',
    pattern: /^noto-sans-kr-korean-400-normal\.woff$/,
    split: (codePoints) => {
      const syllables = codePoints.filter((cp) => cp >= 0xac00 && cp <= 0xd7a3);
      const pieces = [codePoints.filter((cp) => cp < 0xac00 || cp > 0xd7a3)];
      for (let i = 0; i < syllables.length; i += 256) pieces.push(syllables.slice(i, i + 256));
      return pieces;
    },
  },
  // Kana and kanji (JIS X 0208 levels 1 and 2 and beyond), split by frequency.
  { family: 'noto-sans-jp', pattern: /^noto-sans-jp-\d+-400-normal\.woff$/ },
  // Simplified Chinese hanzi (GB 2312 and beyond), split by frequency.
  { family: 'noto-sans-sc', pattern: /^noto-sans-sc-\d+-400-normal\.woff$/ },
];

function ranges(codePoints: number[]): [number, number][] {
  const sorted = [...new Set(codePoints)].sort((a, b) => a - b);
  const out: [number, number][] = [];
  for (const cp of sorted) {
    const last = out[out.length - 1];
    if (last && cp === last[1] + 1) last[1] = cp;
    else out.push([cp, cp]);
  }
  return out;
}

const source = process.argv[2];
if (!source)
  throw new Error('usage: tsx scripts/vendor-report-fonts.ts FOLDER-WITH-UNPACKED-PACKAGES');
rmSync(target, { recursive: true, force: true });
const slices: { family: string; weight: number; file: string; ranges: [number, number][] }[] = [];
const versions: Record<string, string> = {};
for (const { family, pattern, split } of SELECTION) {
  const pkg = join(source, family, 'package');
  versions[`@fontsource/${family}`] = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8'))
    .version as string;
  mkdirSync(join(target, family), { recursive: true });
  copyFileSync(join(pkg, 'LICENSE'), join(target, family, 'LICENSE'));
  for (const name of readdirSync(join(pkg, 'files'))
    .filter((n) => pattern.test(n))
    .sort()) {
    const bytes = readFileSync(join(pkg, 'files', name));
    const sfnt = woffToSfnt(new Uint8Array(bytes));
    const font = fontkit.create(Buffer.from(sfnt));
    const weight = Number(/-(\d00)-normal/.exec(name)![1]);
    if (!split) {
      copyFileSync(join(pkg, 'files', name), join(target, family, name));
      slices.push({ family, weight, file: `${family}/${name}`, ranges: ranges(font.characterSet) });
      continue;
    }
    split(font.characterSet).forEach((codePoints, piece) => {
      const file = name.replace(/-normal\.woff$/, `-${piece}.woff`);
      const woff = subsetTrueTypeToWoff(sfnt, codePoints, (cp) => font.glyphForCodePoint(cp).id);
      writeFileSync(join(target, family, file), woff);
      const check = fontkit.create(Buffer.from(woffToSfnt(woff)));
      slices.push({
        family,
        weight,
        file: `${family}/${file}`,
        ranges: ranges(check.characterSet),
      });
    });
  }
}
writeFileSync(join(target, 'slices.json'), `${JSON.stringify({ versions, slices })}\n`);
console.log(`${slices.length} slices from ${Object.keys(versions).join(', ')} → ${target}`);
