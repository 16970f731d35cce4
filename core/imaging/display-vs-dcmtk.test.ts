/**
 * The grayscale display pipeline against dcmtk's renderer (dcm2pnm, 8-bit PGM) on real
 * files that exercise each stage: rescale + window, Modality LUT Sequence, VOI LUT
 * Sequence, MONOCHROME1, Presentation LUT Shape. Every pixel must agree within ±1.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildDisplayFrame } from '../dicom/display-frame.ts';
import { parseDicomBytes } from '../dicom/parse.ts';
import { sharedDataPath } from '../testing/shared-data.ts';
import { displayValue, lookup, type GrayscalePipeline } from './lut.ts';

function readPgm(path: string): { width: number; height: number; pixels: Uint8Array } {
  const bytes = readFileSync(path);
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(bytes.subarray(0, 64).toString('latin1'))!;
  return {
    width: Number(header[1]),
    height: Number(header[2]),
    pixels: new Uint8Array(bytes.subarray(header[0].length)),
  };
}

const CASES: Array<{ file: string; dcmtk: string[]; voi: 'window' | 'lut'; what: string }> = [
  {
    file: 'dicom/pydicom/CT_small.dcm',
    dcmtk: ['+Wm'],
    voi: 'window',
    what: 'rescale (CT HU), min-max window',
  },
  {
    file: 'dicom/pydicom/MR_small.dcm',
    dcmtk: ['+Wi', '1'],
    voi: 'window',
    what: 'first window of the file',
  },
  {
    file: 'dicom/pydicom-data/vlut_04.dcm',
    dcmtk: ['+Wl', '1'],
    voi: 'lut',
    what: 'VOI LUT Sequence',
  },
  {
    file: 'dicom/fo-dicom/CR-ModalitySequenceLUT.dcm',
    dcmtk: ['+Wm'],
    voi: 'window',
    what: 'Modality LUT Sequence, MONOCHROME1',
  },
  {
    file: 'dicom/highdicom/dx_image.dcm',
    dcmtk: ['+Wi', '1'],
    voi: 'window',
    what: 'MONOCHROME1 with Presentation LUT Shape INVERSE',
  },
  {
    file: 'dicom/fo-dicom/CR-MONO1-10-chest.dcm',
    dcmtk: ['+Wm'],
    voi: 'window',
    what: 'MONOCHROME1 chest, min-max window',
  },
];

for (const testCase of CASES) {
  test(`${testCase.what}: ${testCase.file} displays as dcmtk renders it`, async () => {
    const path = sharedDataPath(testCase.file);
    const frame = await buildDisplayFrame(
      parseDicomBytes(new Uint8Array(readFileSync(path)), testCase.file),
      'x',
      0,
    );
    const scratch = mkdtempSync(join(tmpdir(), 'neoscope-pnm-'));
    const out = join(scratch, 'out.pgm');
    // dcm2pnm renders only uncompressed data: decompress compressed files first with dcmdjpeg.
    const input =
      frame &&
      parseDicomBytes(
        new Uint8Array(readFileSync(path)),
        testCase.file,
      ).transferSyntaxUid.startsWith('1.2.840.10008.1.2.4')
        ? join(scratch, 'plain.dcm')
        : path;
    if (input !== path) execFileSync('dcmdjpeg', [path, input], { stdio: 'pipe' });
    execFileSync('dcm2pnm', [...testCase.dcmtk, '--write-raw-pnm', input, out], { stdio: 'pipe' });
    const reference = readPgm(out);
    assert.deepEqual([reference.width, reference.height], [frame.columns, frame.rows]);

    let window = frame.windows[0];
    if (testCase.dcmtk[0] === '+Wm') {
      // dcmtk's min-max window spans the modality values present (dcmimgle DiMonoImage::setMinMaxWindow).
      const modality = (v: number) =>
        frame.modalityLut
          ? lookup(frame.modalityLut, v)
          : v * frame.rescaleSlope + frame.rescaleIntercept;
      const [low, high] = [modality(frame.minValue), modality(frame.maxValue)].sort(
        (a, b) => a - b,
      ) as [number, number];
      window = { center: (low + high) / 2, width: high - low };
    }
    const pipeline: GrayscalePipeline = {
      rescale: { slope: frame.rescaleSlope, intercept: frame.rescaleIntercept },
      modalityLut: frame.modalityLut,
      voi:
        testCase.voi === 'lut'
          ? { lut: frame.voiLuts[0], fn: frame.voiFunction }
          : { window, fn: frame.voiFunction },
      inverted: frame.inverted,
    };
    let maxDiff = 0;
    for (let i = 0; i < reference.pixels.length; i++)
      maxDiff = Math.max(
        maxDiff,
        Math.abs(displayValue(frame.pixels[i]!, pipeline) - reference.pixels[i]!),
      );
    console.log(`# ${testCase.file}: max display difference vs dcm2pnm ${maxDiff}`);
    assert.ok(maxDiff <= 1, `max difference ${maxDiff}`);
  });
}

/** Colour frames (PALETTE COLOR, YBR_FULL, YBR_FULL_422 native, planar RGB) against dcm2pnm's PPM. */
for (const file of [
  'dicom/pydicom-data/OBXXXX1A_rle.dcm',
  'dicom/pydicom/SC_ybr_full_422_uncompressed.dcm',
  'dicom/fo-dicom/GH538-jpeg1.dcm',
  'dicom/pydicom/SC_rgb_rle.dcm',
]) {
  test(`colour: ${file} displays as dcmtk renders it`, async () => {
    const path = sharedDataPath(file);
    const parsed = parseDicomBytes(new Uint8Array(readFileSync(path)), file);
    const frame = await buildDisplayFrame(parsed, 'x', 0);
    const scratch = mkdtempSync(join(tmpdir(), 'neoscope-ppm-'));
    let input = path;
    if (parsed.transferSyntaxUid !== '1.2.840.10008.1.2.1') {
      input = join(scratch, 'plain.dcm');
      execFileSync(
        parsed.transferSyntaxUid === '1.2.840.10008.1.2.5' ? 'dcmdrle' : 'dcmdjpeg',
        [path, input],
        { stdio: 'pipe' },
      );
    }
    const out = join(scratch, 'out.ppm');
    execFileSync('dcm2pnm', ['--write-raw-pnm', input, out], { stdio: 'pipe' });
    const bytes = readFileSync(out);
    const header = /^P6\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(bytes.subarray(0, 64).toString('latin1'))!;
    const reference = bytes.subarray(header[0].length);
    assert.equal(reference.length, frame.pixels.length);
    let maxDiff = 0;
    for (let i = 0; i < reference.length; i++)
      maxDiff = Math.max(maxDiff, Math.abs(frame.pixels[i]! - reference[i]!));
    console.log(`# ${file}: max colour difference vs dcm2pnm ${maxDiff}`);
    assert.ok(maxDiff <= 1, `max difference ${maxDiff}`);
  });
}
