/**
 * De-identified copies are UTF-8 with Specific Character Set "ISO_IR 192", and the text
 * they keep means what it meant in the original's set: ISO 2022 with escape sequences
 * (which dcmjs alone refuses), a sequence item with its own set, GB18030.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { sharedDataPath } from '../../testing/shared-data.ts';
import { readString, Tag } from '../attributes.ts';
import { readText } from '../charset/dataset-text.ts';
import { ascii, concat, explicit, item, part10 } from '../charset/test-dicom-bytes.ts';
import { parseDicomBytes } from '../parse.ts';
import { validateDataSet } from '../validate.ts';
import { deidentifyDicom } from './deidentify.ts';

const ESC = 0x1b;
const KS_X_1001 = [ESC, 0x24, 0x29, 0x43];
const hongGildong = Uint8Array.of(...KS_X_1001, 0xc8, 0xab, 0xb1, 0xe6, 0xb5, 0xbf);
const MANUFACTURER = 'x00080070';

function koreanFile(): Uint8Array {
  return part10(
    explicit(0x0008, 0x0005, 'CS', ascii('\\ISO 2022 IR 149')),
    explicit(0x0008, 0x0016, 'UI', ascii('1.2.840.10008.5.1.4.1.1.7')),
    explicit(0x0008, 0x0018, 'UI', ascii('1.2.826.0.1.3680043.2.1143.42')),
    explicit(0x0008, 0x0070, 'LO', concat(ascii('Eye '), hongGildong)),
    explicit(
      0x0008,
      0x2218,
      'SQ',
      concat(
        item(explicit(0x0008, 0x0104, 'LO', hongGildong)),
        item(
          explicit(0x0008, 0x0005, 'CS', ascii('ISO_IR 126')),
          explicit(0x0008, 0x0104, 'LO', Uint8Array.of(0xcc, 0xdc, 0xf4, 0xe9)),
        ),
      ),
    ),
    explicit(
      0x0010,
      0x0010,
      'PN',
      concat(ascii('Hong^Gildong='), Uint8Array.of(...KS_X_1001, 0xfb, 0xf3)),
    ),
    explicit(0x0010, 0x0020, 'LO', ascii('KR-1')),
  );
}

test('a Korean ISO 2022 file de-identifies to UTF-8 with its kept text intact', () => {
  const out = deidentifyDicom(
    koreanFile(),
    { uidKey: 'k', pseudonym: { patientId: 'P-7', patientName: '환자^일곱' } },
    'korean.dcm',
  );
  const parsed = parseDicomBytes(out, 'anon.dcm');
  const ds = parsed.dataSet;
  assert.equal(readString(ds, 'x00080005'), 'ISO_IR 192');
  assert.equal(readString(ds, MANUFACTURER), 'Eye 홍길동');
  const [first, second] = ds.elements[Tag.AnatomicRegionSequence]!.items!;
  assert.equal(readString(first!.dataSet!, Tag.CodeMeaning), '홍길동');
  assert.equal(readString(second!.dataSet!, Tag.CodeMeaning), 'Μάτι');
  assert.equal(second!.dataSet!.elements.x00080005, undefined, 'items need no set of their own');
  assert.equal(readText(ds, Tag.PatientName), '환자^일곱');
  assert.deepEqual(validateDataSet(parsed), []);
  // The bytes are UTF-8: no escape sequences remain.
  assert.ok(!out.includes(ESC));
  assert.ok(Buffer.from(out).includes(Buffer.from('홍길동', 'utf8')));
});

test('GH1301 (GB18030) de-identifies to a readable ISO_IR 192 file', () => {
  const out = deidentifyDicom(
    new Uint8Array(readFileSync(sharedDataPath('dicom/fo-dicom/GH1301.dcm'))),
    { uidKey: 'k' },
    'GH1301.dcm',
  );
  const parsed = parseDicomBytes(out, 'anon.dcm');
  assert.equal(readString(parsed.dataSet, 'x00080005'), 'ISO_IR 192');
  assert.equal(readString(parsed.dataSet, Tag.PatientName), '');
});

test('a file without (0008,0005) is declared UTF-8 after de-identification', () => {
  const out = deidentifyDicom(
    new Uint8Array(readFileSync(sharedDataPath('dicom/pydicom/CT_small.dcm'))),
    { uidKey: 'k' },
    'CT_small.dcm',
  );
  const parsed = parseDicomBytes(out, 'anon.dcm');
  assert.equal(readString(parsed.dataSet, 'x00080005'), 'ISO_IR 192');
});
