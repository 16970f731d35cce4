/**
 * Geometry checks of the cardiothoracic ratio on the chest films we have. None of them has
 * a manual heart outline, so this is NOT an accuracy study; it checks what can be checked:
 *
 *  - Montgomery and Shenzhen (manual lung masks): where a mask leaves the heart out, its
 *    lung's medial border in the cardiac rows bounds the heart from outside, so our heart
 *    border must lie at that border (not inside the outlined lung), and our heart extent is
 *    compared with the gap between the medial borders ("mask-gap CTR"). Where the annotator
 *    drew the lung behind the heart (medial border at the spine) the gap says nothing: n/a.
 *    The thoracic width is compared with the masks' outer extent.
 *  - CheXmask example: its heart and lung masks are a model's output (HybridGNet), not
 *    truth; the ratio from those masks is the reference for that one film.
 *  - V7/Hannover (PA and AP supine), Kermany pediatric films, DICOM samples: abstentions,
 *    thoracic width against the V7 masks (whose lungs include the retrocardiac region).
 *
 * For every film: the CTR or the coded reason it abstained, and whether any heart-border
 * point lies in aerated lung (by the method's own estimate, and inside a manual lung mask).
 *
 *     npx tsx scripts/ctr-validation.ts [--write]
 *
 * --write puts the tables into the cardiothoracic-ratio section of models/chest-lungs/CARD.md.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { toApiErrorBody } from '../core/api/errors.ts';
import type { DecodedFrame } from '../core/api/schemas.ts';
import { buildDisplayFrame } from '../core/dicom/display-frame.ts';
import { parseDicomBytes } from '../core/dicom/parse.ts';
import { analyzeImage } from '../core/inference/analyze-image.ts';
import { createWasmNodeEngine } from '../core/inference/engine-wasm-node.ts';
import { loadModelPackage } from '../core/inference/load-package.ts';
import { decodePhotoFrame } from '../core/library/photo-export.ts';
import type { BinaryMask } from '../core/measurements/binary-mask.ts';
import type { CardiothoracicMeasurement } from '../core/measurements/cardiothoracic-ratio.ts';
import { findLungFields, type LungFields } from '../core/measurements/ctr/lung-fields.ts';
import { deriveMeasurement } from '../core/measurements/derive-measurements.ts';
import { projectRoot, samplePath, sharedDataPath } from '../core/testing/shared-data.ts';

const write = process.argv.includes('--write');
const modelFolder = join(projectRoot, 'models', 'chest-lungs');
const model = await loadModelPackage(modelFolder, createWasmNodeEngine());
const card = readFileSync(join(modelFolder, 'CARD.md'), 'utf8');
// Films the lung model was tested on (CARD.md lists them); the others it trained on.
const heldOut = new Set(
  [...card.matchAll(/(Montgomery|Shenzhen|V7-Hannover):([^,.\s]+\.\w+)/g)].map((m) => m[2]!),
);

interface Film {
  group: string;
  name: string;
  path: string;
  /** Manual lung mask (Montgomery, Shenzhen, V7: 255 = lung) when there is one. */
  lungMask?: string;
  /** Masks of the reference heart + lungs (CheXmask). */
  heartMask?: string;
  view?: string;
  trainedOn?: boolean;
}

const cxr = (...parts: string[]) => sharedDataPath('cxr', ...parts);
const files = (folder: string, pattern = /\.(png|jpe?g)$/i) =>
  readdirSync(folder)
    .filter((n) => pattern.test(n))
    .sort();
const films: Film[] = [];
films.push({
  group: 'CheXmask example (PA)',
  name: 'normal_pa_wikimedia.jpg',
  path: cxr('CheXmask-example', 'images', 'normal_pa_wikimedia.jpg'),
  heartMask: cxr('CheXmask-example', 'masks'),
  view: 'PA',
});
for (const name of files(cxr('Montgomery-imlab', 'images'))) {
  films.push({
    group: 'Montgomery (PA, manual lungs)',
    name,
    path: cxr('Montgomery-imlab', 'images', name),
    lungMask: cxr('Montgomery-imlab', 'masks', name.replace(/\.jpg$/, '.png')),
    view: 'PA',
    trainedOn: !heldOut.has(name),
  });
}
for (const name of files(cxr('Shenzhen-pegasus', 'images'))) {
  films.push({
    group: 'Shenzhen (PA, manual lungs)',
    name,
    path: cxr('Shenzhen-pegasus', 'images', name),
    lungMask: cxr('Shenzhen-pegasus', 'masks', name),
    view: 'PA',
    trainedOn: !heldOut.has(name),
  });
}
// View per V7 film from the ieee8023 metadata (file names start with the image's hash).
const metadata = readFileSync(cxr('V7-COVID19-Hannover', 'metadata.ieee8023.csv'), 'utf8');
for (const name of files(cxr('V7-COVID19-Hannover', 'images'))) {
  const line = metadata.split('\n').find((l) => l.includes(name.slice(0, 8)));
  const view = line ? (/,(PA|AP Supine|AP),X-ray/.exec(line)?.[1] ?? '?') : '?';
  films.push({
    group: `V7/Hannover (${view === 'PA' ? 'PA' : 'AP supine'})`,
    name,
    path: cxr('V7-COVID19-Hannover', 'images', name),
    lungMask: cxr('V7-COVID19-Hannover', 'masks', name.replace(/\.jpg$/, '.png')),
    view,
    trainedOn: !heldOut.has(name),
  });
}
for (const name of files(cxr('kermany-pediatric-224', 'test', 'NORMAL')).slice(0, 12)) {
  films.push({
    group: 'Kermany pediatric, 224 px (normal)',
    name,
    path: cxr('kermany-pediatric-224', 'test', 'NORMAL', name),
    view: 'PA/AP',
  });
}
films.push({
  group: 'DICOM samples',
  name: 'chest-cr-j2k-pydicom.dcm',
  path: samplePath('chest-cr-j2k-pydicom.dcm'),
  view: 'PA',
});
films.push({
  group: 'DICOM samples',
  name: 'chest-dx-lateral-highdicom.dcm',
  path: samplePath('chest-dx-lateral-highdicom.dcm'),
  view: 'lateral',
});
films.push({
  group: 'DICOM samples',
  name: 'rsna_…6904.dcm',
  path: sharedDataPath(
    'dicom',
    'torchxrayvision',
    'rsna_1.2.276.0.7230010.3.1.4.8323329.6904.1517875201.850819.dcm',
  ),
  view: 'PA',
});

async function decode(path: string): Promise<DecodedFrame> {
  const bytes = new Uint8Array(readFileSync(path));
  if (path.endsWith('.dcm'))
    return buildDisplayFrame(parseDicomBytes(bytes, path), 'validation', 0);
  return decodePhotoFrame(bytes, 'validation', path);
}

async function readMask(path: string, value?: number): Promise<BinaryMask> {
  const { data, info } = await sharp(path).greyscale().raw().toBuffer({ resolveWithObject: true });
  const out = new Uint8Array(info.width * info.height);
  for (let i = 0; i < out.length; i++)
    out[i] =
      value === undefined
        ? data[i * info.channels]! >= 128
          ? 1
          : 0
        : data[i * info.channels] === value
          ? 1
          : 0;
  return { width: info.width, height: info.height, data: out };
}

/**
 * Per side, where a manual lung mask bounds the heart: the most lateral medial lung border
 * over the cardiac rows (below the upper 40% of the lung height, down to where the medial
 * border turns out along the lung base or to the diaphragm read under the lateral fifth of
 * the hemithorax), or undefined where the medial border stays at the spine (lung drawn
 * behind the heart).
 */
function medialGap(fields: LungFields): { right?: number; left?: number; rows: [number, number] } {
  const height = fields.bottom - fields.top;
  const top = Math.round(fields.top + 0.4 * height);
  const floorOf = (side: 'right' | 'left') => {
    const bottoms: number[] = [];
    const outer = side === 'right' ? fields.imageLeft.minX : fields.imageRight.maxX;
    const label = side === 'right' ? fields.imageLeft.label : fields.imageRight.label;
    for (let j = 0.15; j <= 0.25; j += 0.01) {
      const x = Math.round(outer + (fields.midline - outer) * j);
      for (let y = fields.height - 1; y >= 0; y--) {
        if (fields.labels[y * fields.width + x] === label) {
          bottoms.push(y);
          break;
        }
      }
    }
    bottoms.sort((a, b) => a - b);
    return (bottoms[bottoms.length >> 1] ?? fields.bottom) - 0.04 * height;
  };
  const side = (name: 'right' | 'left') => {
    const medial = name === 'right' ? fields.leftMedial : fields.rightMedial;
    const outward = name === 'right' ? -1 : 1;
    const step = Math.max(2, Math.round(0.02 * height));
    const xs: number[] = [];
    for (let y = top; y <= floorOf(name); y++) {
      if (medial[y]! < 0) break;
      xs.push(medial[y]!);
      // The cardiophrenic angle: the medial border turns out along the lung base.
      // (The left border runs outward to the apex, so only a nearly level run counts there.)
      if (
        medial[y + step]! < 0 ||
        outward * (medial[y + step]! - medial[y]!) > (name === 'right' ? 1.5 : 2.5) * step
      )
        break;
    }
    if (!xs.length) return undefined;
    const distances = xs.map((x) => Math.abs(x - fields.midline)).sort((a, b) => a - b);
    // Drawn behind the heart: the medial border stays at the spine (the right heart border
    // lies close to it, so the threshold is tighter there).
    if (
      distances[distances.length >> 1]! <
      (name === 'right' ? 0.06 : 0.12) * fields.thoracicWidthPx
    )
      return undefined;
    return name === 'right' ? Math.min(...xs) : Math.max(...xs);
  };
  return {
    right: side('right'),
    left: side('left'),
    rows: [top, Math.round(Math.max(floorOf('right'), floorOf('left')))],
  };
}

interface Row {
  film: Film;
  ratio?: number;
  m?: CardiothoracicMeasurement;
  error?: { code: string; message: string };
  thoraxMask?: number;
  gap?: { right?: number; left?: number };
  gapRatio?: number;
  /** Our accepted border points more than 1.5% of the thorax inside the manual lung (sides where it bounds the heart). */
  insideManualLung?: number;
  checkedPoints?: number;
  maxInsidePx?: number;
  reference?: number;
}

const rows: Row[] = [];
for (const film of films) {
  const frame = await decode(film.path);
  const analysis = await analyzeImage(frame, model, 'none');
  const row: Row = { film };
  try {
    const derived = deriveMeasurement('cardiothoracic-ratio', frame, analysis.probabilityMap!);
    if (derived.kind !== 'cardiothoracic-ratio') throw new Error('unexpected measurement');
    row.m = derived.measurement;
    row.ratio = derived.measurement.ratio;
  } catch (error) {
    row.error = toApiErrorBody(error);
  }
  if (film.lungMask) {
    try {
      // V7 masks: 255 lung, 127 "ignore" (devices); the others: binary.
      const manual = findLungFields(
        await readMask(film.lungMask, film.group.startsWith('V7') ? 255 : undefined),
      );
      row.thoraxMask = manual.thoracicWidthPx;
      if (!film.group.startsWith('V7')) {
        const gap = medialGap(manual);
        row.gap = gap;
        if (gap.right !== undefined && gap.left !== undefined)
          row.gapRatio = (gap.left - gap.right) / manual.thoracicWidthPx;
        if (row.m) {
          let inside = 0;
          let checked = 0;
          let worst = 0;
          const tolerance = 0.015 * manual.thoracicWidthPx;
          const check = (
            points: { x: number; y: number }[],
            medial: Int32Array,
            sign: 1 | -1,
            bounds: boolean,
          ) => {
            if (!bounds) return;
            for (const p of points) {
              const edge = medial[p.y]!;
              // Rows where this mask runs behind the heart (medial border near the spine, as
              // under the heart at some lung bases) bound nothing.
              if (
                edge < 0 ||
                Math.abs(edge - manual.midline) <
                  (sign === 1 ? 0.06 : 0.12) * manual.thoracicWidthPx
              )
                continue;
              checked++;
              const depth = sign * (edge - p.x); // > 0: our border lies inside the outlined lung
              worst = Math.max(worst, depth);
              if (depth > tolerance) inside++;
            }
          };
          check(row.m.evidence.right.border, manual.leftMedial, 1, gap.right !== undefined);
          check(row.m.evidence.left.border, manual.rightMedial, -1, gap.left !== undefined);
          if (gap.right !== undefined || gap.left !== undefined) {
            row.insideManualLung = inside;
            row.checkedPoints = checked;
            row.maxInsidePx = worst;
          }
        }
      }
    } catch {
      // A manual mask that is not two lung fields: no geometry check for this film.
    }
  }
  if (film.heartMask) {
    const heart = await readMask(join(film.heartMask, 'heart.png'));
    const right = await readMask(join(film.heartMask, 'right_lung.png'));
    const left = await readMask(join(film.heartMask, 'left_lung.png'));
    const lungs: BinaryMask = {
      width: right.width,
      height: right.height,
      data: right.data.map((v, i) => v | left.data[i]!),
    };
    const fields = findLungFields(lungs);
    let minX = heart.width;
    let maxX = -1;
    for (let i = 0; i < heart.data.length; i++) {
      if (!heart.data[i]) continue;
      minX = Math.min(minX, i % heart.width);
      maxX = Math.max(maxX, i % heart.width);
    }
    row.thoraxMask = fields.thoracicWidthPx;
    row.reference = (maxX - minX) / fields.thoracicWidthPx;
  }
  rows.push(row);
  process.stderr.write('.');
}
process.stderr.write('\n');

const lines: string[] = [];
const print = (line = '') => {
  console.log(line);
  lines.push(line);
};
const f = (v: number | undefined, digits = 3) =>
  v === undefined || Number.isNaN(v) ? '—' : v.toFixed(digits);
const px = (v: number | undefined) => (v === undefined ? '—' : String(Math.round(v)));

print(
  '| group | film | CTR | abstained: reason | confidence | heart x (right…left border) | manual medial gap x | mask-gap CTR | thorax px: ours / mask | border points in aerated lung (own estimate) | accepted border points inside a manual lung that bounds the heart, > 1.5% of thorax (deepest, px) | reference CTR (CheXmask masks) |',
);
print('|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  const { film, m } = r;
  const name = `${film.name}${film.trainedOn ? ' †' : ''}`;
  const reason = r.error ? `${r.error.code}: ${r.error.message}` : '';
  const heart = m ? `${px(m.cardiac[0].x)}…${px(m.cardiac[1].x)}` : '—';
  const gap = r.gap
    ? `${r.gap.right === undefined ? 'n/a' : px(r.gap.right)}…${r.gap.left === undefined ? 'n/a' : px(r.gap.left)}`
    : '—';
  const thorax = `${m ? px(m.thoracicWidthPx) : '—'} / ${px(r.thoraxMask)}`;
  const inLung = m ? String(m.evidence.borderPointsInAeratedLung) : '—';
  const inside =
    r.insideManualLung === undefined
      ? '—'
      : `${r.insideManualLung} of ${r.checkedPoints} (${px(r.maxInsidePx)})`;
  print(
    `| ${film.group} | ${name} | ${f(r.ratio)} | ${reason} | ${m ? f(m.confidence, 2) : '—'} | ${heart} | ${gap} | ${f(r.gapRatio)} | ${thorax} | ${inLung} | ${inside} | ${r.reference === undefined ? '—' : `${f(r.reference)} (ours − ref ${f((r.ratio ?? NaN) - r.reference)})`} |`,
  );
}

print();
print('| group | films | CTR given | abstained | median CTR |');
print('|---|---|---|---|---|');
const median = (values: number[]) => {
  if (!values.length) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
for (const group of [...new Set(films.map((x) => x.group))]) {
  const rs = rows.filter((r) => r.film.group === group);
  const given = rs.filter((r) => r.ratio !== undefined);
  print(
    `| ${group} | ${rs.length} | ${given.length} | ${rs.length - given.length} | ${f(median(given.map((r) => r.ratio!)))} |`,
  );
}

const paired = rows.filter((r) => r.ratio !== undefined && r.gapRatio !== undefined);
const thorax = rows
  .filter((r) => r.m && r.thoraxMask !== undefined)
  .map((r) => Math.abs(r.m!.thoracicWidthPx - r.thoraxMask!) / r.thoraxMask!);
const inside = rows.filter((r) => r.insideManualLung !== undefined);
print();
print(
  `- Films where both manual lung masks bound the heart: ${paired.length}; |CTR − mask-gap CTR| mean ${f(paired.reduce((a, r) => a + Math.abs(r.ratio! - r.gapRatio!), 0) / paired.length)}, largest ${f(Math.max(...paired.map((r) => Math.abs(r.ratio! - r.gapRatio!))))}.`,
);
print(
  `- Thoracic width against the manual (or CheXmask) lung masks: median difference ${f(100 * median(thorax), 1)}%, largest ${f(100 * Math.max(...thorax), 1)}% (${thorax.length} films).`,
);
print(
  `- Accepted heart-border points inside a manual lung that bounds the heart (by more than 1.5% of the thorax): ${inside.reduce((a, r) => a + r.insideManualLung!, 0)} of ${inside.reduce((a, r) => a + r.checkedPoints!, 0)} points checked, on ${inside.filter((r) => r.insideManualLung! > 0).length} of ${inside.length} films.`,
);
print(
  `- Border points in aerated lung by the method's own estimate, over all measured films: ${rows.reduce((a, r) => a + (r.m?.evidence.borderPointsInAeratedLung ?? 0), 0)} (a film with any abstains).`,
);

if (write) {
  const path = join(modelFolder, 'CARD.md');
  const text = readFileSync(path, 'utf8');
  const start = '<!-- ctr-validation:start -->';
  const end = '<!-- ctr-validation:end -->';
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  if (a < 0 || b < a) throw new Error(`${path} has no ${start} … ${end} block to fill`);
  const stamp = `Generated by \`npx tsx scripts/ctr-validation.ts --write\` (${new Date().toISOString().slice(0, 10)}). † = a film the lung model trained on.`;
  writeFileSync(
    path,
    `${text.slice(0, a + start.length)}\n${stamp}\n\n${lines.join('\n')}\n${text.slice(b)}`,
  );
  console.log(`\nwrote the tables into ${path}`);
}
