/**
 * Photo exports as DICOM: a camera's baseline JPEG keeps its codestream (and so its pixels),
 * other photos are stored losslessly, the eye and patient come from the sidecar, the file's
 * SHA-256 is kept, and dciodvfy (dicom3tools) finds no error in what is written.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { readString } from '../dicom/attributes.ts';
import { decodeWithLibjpegTurbo } from '../dicom/codecs/wasm-codecs.ts';
import { buildDisplayFrame } from '../dicom/display-frame.ts';
import { parseDicomBytes } from '../dicom/parse.ts';
import { summarizeInstance } from '../dicom/summary.ts';
import { TransferSyntax } from '../dicom/uids.ts';
import { samplePath, sharedDataPath } from '../testing/shared-data.ts';
import { baselineCodestream } from './jpeg-codestream.ts';
import {
  OPHTHALMIC_PHOTOGRAPHY_8BIT,
  PHOTO_PRIVATE_CREATOR,
  photoToDicom,
  VL_PHOTOGRAPHIC,
} from './photo-dicom.ts';
import type { PhotoMetadata } from './photo-export.ts';
import { describePhoto } from './photo-facts.ts';
import { lookupSidecar, parseSidecarCsv } from './photo-sidecar.ts';

const read = (path: string) => new Uint8Array(readFileSync(path));
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const sidecar = parseSidecarCsv(
  readFileSync(samplePath('fundus-exports/fundus-exports.csv'), 'utf8'),
).rows;

async function wrapFundus(name: string) {
  const bytes = read(samplePath(`fundus-exports/${name}`));
  const facts = await describePhoto(bytes, name, { sidecar: lookupSidecar(sidecar, name) });
  return { bytes, facts, object: await photoToDicom(bytes, facts) };
}

/** The scan data (SOS to EOI) of a JPEG: what decoders turn into pixels. */
function scanData(jpeg: Uint8Array): Uint8Array {
  for (let i = 2; i + 1 < jpeg.length;) {
    if (jpeg[i + 1] === 0xda) return jpeg.subarray(i);
    i += 2 + ((jpeg[i + 2]! << 8) | jpeg[i + 3]!);
  }
  throw new Error('no scan');
}

test('a fundus JPEG becomes Ophthalmic Photography with its codestream, eye and patient from the sidecar', async () => {
  const { bytes, object } = await wrapFundus('Image_01R.jpg');
  assert.equal(object.encoding, 'jpeg-baseline');
  const parsed = parseDicomBytes(object.bytes, 'Image_01R.jpg');
  const ds = parsed.dataSet;
  assert.equal(parsed.transferSyntaxUid, TransferSyntax.JPEGBaseline);
  assert.equal(readString(ds, 'x00080016'), OPHTHALMIC_PHOTOGRAPHY_8BIT);
  assert.equal(readString(ds, 'x00080005'), 'ISO_IR 192');
  assert.equal(readString(ds, 'x00200062'), 'R', 'Image Laterality');
  assert.equal(readString(ds, 'x00100020'), 'CHASE-01');
  assert.equal(readString(ds, 'x00080020'), '20110101', 'the sidecar dates the visit');
  assert.equal(readString(ds, 'x00110010'), PHOTO_PRIVATE_CREATOR);
  assert.equal(readString(ds, 'x00111010'), sha256(bytes), "the original file's SHA-256");
  const summary = summarizeInstance(parsed, 'x');
  assert.deepEqual([summary.domain, summary.laterality], ['retina', 'R']);

  // Not recompressed: the scan data is the camera's, byte for byte, and decodes to its pixels.
  const fragment = baselineCodestream(bytes)!.codestream;
  assert.deepEqual(scanData(fragment), scanData(bytes));
  const original = await decodeWithLibjpegTurbo(bytes, 'Image_01R.jpg');
  const shown = await buildDisplayFrame(parsed, 'x', 0);
  assert.deepEqual([shown.columns, shown.rows], [original.width, original.height]);
  assert.ok(
    Buffer.from(shown.pixels as Uint8Array).equals(
      Buffer.from(original.bytes.subarray(0, original.width * original.height * 3)),
    ),
    'the object decodes to the pixels the JPEG file decodes to',
  );
});

test('the same photo and details give the same bytes; both eyes of one visit share a study', async () => {
  const right = await wrapFundus('Image_01R.jpg');
  const again = await wrapFundus('Image_01R.jpg');
  assert.equal(sha256(right.object.bytes), sha256(again.object.bytes));
  const left = await wrapFundus('Image_01L.jpg');
  const study = (b: Uint8Array) => readString(parseDicomBytes(b, 'x').dataSet, 'x0020000d');
  assert.equal(study(left.object.bytes), study(right.object.bytes));
  assert.notEqual(left.object.sopInstanceUid, right.object.sopInstanceUid);
});

test('EXIF and other metadata segments do not travel inside Pixel Data', async () => {
  const withExif = new Uint8Array(
    await sharp(read(samplePath('fundus-exports/Image_01L.jpg')))
      .withExif({ IFD0: { Make: 'Clarity', Model: 'RetCam 3', Artist: 'Baby Smith' } })
      .jpeg({ quality: 90 })
      .toBuffer(),
  );
  const facts = await describePhoto(withExif, 'baby_OS_.jpg', {
    given: { patientId: 'NICU-1', examDate: '20260101' },
  });
  assert.deepEqual([facts.metadata.eye, facts.sources.eye], ['OS', 'the file name (_OS_)']);
  assert.equal(facts.metadata.device, 'Clarity RetCam 3');
  const object = await photoToDicom(withExif, facts);
  assert.equal(object.encoding, 'jpeg-baseline');
  assert.equal(Buffer.from(object.bytes).indexOf('Baby Smith'), -1);
  const ds = parseDicomBytes(object.bytes, 'x').dataSet;
  assert.deepEqual(
    [readString(ds, 'x00080070'), readString(ds, 'x00081090')],
    ['Clarity', 'RetCam 3'],
  );
});

test('a grey PNG chest film becomes a VL Photographic image of the chest, pixels kept exactly', async () => {
  const png = read(sharedDataPath('cxr/NIH-ChestXray14-samples/images/00000001_000.png'));
  const facts = await describePhoto(png, 'film.png', {
    given: { patientId: 'NICU-2', examDate: '20260102', eye: 'OD', patientName: 'Zoë^Müller' },
  });
  assert.equal(facts.metadata.domain, 'chest', facts.pixels.reason);
  assert.equal(facts.metadata.eye, undefined, 'a chest film has no eye');
  assert.match(facts.notes[0]!, /eye OD from the import form not used/);
  const object = await photoToDicom(png, facts);
  assert.equal(object.encoding, 'native');
  const parsed = parseDicomBytes(object.bytes, 'film.png');
  assert.equal(readString(parsed.dataSet, 'x00080016'), VL_PHOTOGRAPHIC);
  assert.equal(summarizeInstance(parsed, 'x').domain, 'chest');
  assert.ok(Buffer.from(object.bytes).includes(Buffer.from('Zoë^Müller', 'utf8')), 'UTF-8 text');
  const { data } = await sharp(png)
    .toColourspace('b-w')
    .raw()
    .toBuffer({ resolveWithObject: true });
  const shown = await buildDisplayFrame(parsed, 'x', 0);
  assert.ok(Buffer.from(shown.pixels as Uint8Array).equals(data), 'lossless');
});

test('a photo without patient, date or (for a fundus) eye is refused, naming what is missing', async () => {
  const bytes = read(samplePath('fundus-exports/Image_01R.jpg'));
  const facts = await describePhoto(bytes, 'photo.jpg', { given: { patientId: 'NICU-3' } });
  await assert.rejects(photoToDicom(bytes, facts), {
    code: 'IMPORT_PHOTO_METADATA_MISSING',
    message: /lacks an exam date, an eye \(OD\/OS\)/,
  });
});

test('dciodvfy finds no error in the objects written', async (t) => {
  if (spawnSync('dciodvfy', ['-h']).error) {
    t.skip(
      'dciodvfy (dicom3tools) is not installed: apt-get install dicom3tools to run this check',
    );
    return;
  }
  const folder = mkdtempSync(join(tmpdir(), 'neoscope-photo-dicom-'));
  const given = { patientId: 'NICU-4', examDate: '20260103', examTime: '101500' };
  const wrap = async (path: string, hints: Partial<PhotoMetadata>) => {
    const bytes = read(sharedDataPath(path));
    return (await photoToDicom(bytes, await describePhoto(bytes, path, { given: hints }))).bytes;
  };
  const cases: [string, Uint8Array][] = [
    ['fundus-jpeg', (await wrapFundus('Image_01R.jpg')).object.bytes],
    ['fundus-tiff', await wrap('retina/DRIVE/images/21_training.tif', { ...given, eye: 'OS' })],
    ['chest-jpeg', await wrap('cxr/Montgomery-imlab/images/mont_1.jpg', given)],
    ['chest-png', await wrap('cxr/NIH-ChestXray14-samples/images/00000001_000.png', given)],
  ];
  for (const [label, bytes] of cases) {
    const file = join(folder, `${label}.dcm`);
    writeFileSync(file, bytes);
    const result = spawnSync('dciodvfy', [file], { encoding: 'utf8' });
    const output = `${result.stdout}${result.stderr}`;
    const errors = output.split('\n').filter((line) => /^Error/.test(line));
    assert.deepEqual(errors, [], `${label}:\n${output}`);
    assert.match(output, /OphthalmicPhotography8BitImage|VLPhotographicImage/, label);
  }
  // dcmtk reads the JPEG object back as the image it is.
  const info = execFileSync('dcmdump', ['+P', '0002,0010', join(folder, 'fundus-jpeg.dcm')], {
    encoding: 'utf8',
  });
  assert.match(info, /JPEGBaseline/);
});
