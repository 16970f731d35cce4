/**
 * Character sets applied to whole files: explicit and implicit VR, sequence items that
 * inherit the set or carry their own, other VRs left in the default repertoire, and the
 * shared GB18030 file from fo-dicom (GH1301).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { sharedDataPath } from '../../testing/shared-data.ts';
import { readString, Tag } from '../attributes.ts';
import { describeInstance } from '../describe.ts';
import { parseDicomBytes } from '../parse.ts';
import { validateDataSet } from '../validate.ts';
import { characterSetOf, readPersonName } from './dataset-text.ts';
import { ascii, concat, explicit, implicit, item, part10 } from './test-dicom-bytes.ts';

const ESC = 0x1b;
const hong = Uint8Array.of(ESC, 0x24, 0x29, 0x43, 0xc8, 0xab, 0xb1, 0xe6, 0xb5, 0xbf);

test('explicit VR: names, descriptions and sequence items decode; items inherit or override', () => {
  const bytes = part10(
    explicit(0x0008, 0x0005, 'CS', ascii('\\ISO 2022 IR 149')),
    explicit(0x0008, 0x0060, 'CS', ascii('OP')),
    explicit(0x0008, 0x1030, 'LO', concat(ascii('ROP '), hong)),
    explicit(
      0x0008,
      0x2218,
      'SQ',
      concat(
        item(explicit(0x0008, 0x0104, 'LO', hong)),
        item(
          explicit(0x0008, 0x0005, 'CS', ascii('ISO_IR 192')),
          explicit(0x0008, 0x0104, 'LO', Uint8Array.of(0xe7, 0x9c, 0xbc)),
        ),
      ),
    ),
    explicit(
      0x0010,
      0x0010,
      'PN',
      concat(ascii('Hong^Gildong='), Uint8Array.of(ESC, 0x24, 0x29, 0x43, 0xfb, 0xf3), ascii('=')),
    ),
  );
  const parsed = parseDicomBytes(bytes, 'korean.dcm');
  const ds = parsed.dataSet;
  assert.equal(readString(ds, Tag.StudyDescription), 'ROP 홍길동');
  assert.equal(readString(ds, Tag.Modality), 'OP');
  const [inherits, own] = ds.elements[Tag.AnatomicRegionSequence]!.items!;
  assert.equal(readString(inherits!.dataSet!, Tag.CodeMeaning), '홍길동');
  assert.equal(readString(own!.dataSet!, Tag.CodeMeaning), '眼');
  assert.equal(characterSetOf(own!.dataSet!).kind, 'utf-8');
  assert.deepEqual(readPersonName(ds, Tag.PatientName), {
    alphabetic: 'Hong^Gildong',
    ideographic: '洪',
    phonetic: '',
  });
  const description = describeInstance(parsed);
  assert.equal(description.patient.name, 'Hong^Gildong=洪=');
  assert.equal(description.characterSet, '\\ISO 2022 IR 149');
  assert.deepEqual(validateDataSet(parsed), []);
});

test('implicit VR: text VRs come from the dictionary; other VRs stay ASCII', () => {
  const bytes = concat(
    implicit(0x0008, 0x0005, ascii('ISO_IR 100')),
    implicit(0x0008, 0x0020, ascii('20240102')),
    implicit(0x0008, 0x1030, Uint8Array.of(0x52, 0xf6, 0x6e, 0x74, 0x67, 0x65, 0x6e)),
    implicit(
      0x0010,
      0x0010,
      Uint8Array.of(0x42, 0x75, 0x63, 0x5e, 0x4a, 0xe9, 0x72, 0xf4, 0x6d, 0x65),
    ),
  );
  const parsed = parseDicomBytes(bytes, 'legacy.dcm');
  assert.equal(readString(parsed.dataSet, Tag.PatientName), 'Buc^Jérôme');
  assert.equal(readString(parsed.dataSet, Tag.StudyDescription), 'Röntgen');
  assert.equal(readString(parsed.dataSet, Tag.StudyDate), '20240102');
});

test('an unknown character set is a coded warning, read as Latin-1', () => {
  const parsed = parseDicomBytes(
    part10(
      explicit(0x0008, 0x0005, 'CS', ascii('ISO_IR 999')),
      explicit(0x0010, 0x0010, 'PN', Uint8Array.of(0x4d, 0xfc, 0x6c, 0x6c, 0x65, 0x72)),
    ),
    'unknown.dcm',
  );
  assert.equal(readString(parsed.dataSet, Tag.PatientName), 'Müller');
  assert.deepEqual(
    validateDataSet(parsed).map((w) => w.code),
    ['DICOM_CHARSET_UNKNOWN'],
  );
});

test('undeclared non-ASCII bytes and invalid UTF-8 name the attribute', () => {
  const latin1 = parseDicomBytes(
    part10(explicit(0x0010, 0x0010, 'PN', Uint8Array.of(0x4d, 0xfc, 0x6c, 0x6c, 0x65, 0x72))),
    'undeclared.dcm',
  );
  const [undeclared] = validateDataSet(latin1);
  assert.equal(undeclared?.code, 'DICOM_CHARSET_UNDECLARED');
  assert.match(undeclared?.message ?? '', /^PatientName \(0010,0010\) has bytes above 7FH/);
  const utf8 = parseDicomBytes(
    part10(
      explicit(0x0008, 0x0005, 'CS', ascii('ISO_IR 192')),
      explicit(0x0010, 0x0010, 'PN', Uint8Array.of(0x4d, 0xfc, 0x6c, 0x6c, 0x65, 0x72)),
    ),
    'bad-utf8.dcm',
  );
  assert.deepEqual(
    validateDataSet(utf8).map((w) => w.code),
    ['DICOM_CHARSET_INVALID_BYTES'],
  );
});

test('GH1301 (fo-dicom): a GB18030 name decodes; its CS value with GB18030 bytes is still flagged', () => {
  const parsed = parseDicomBytes(
    new Uint8Array(readFileSync(sharedDataPath('dicom/fo-dicom/GH1301.dcm'))),
    'GH1301.dcm',
  );
  const description = describeInstance(parsed);
  assert.equal(description.patient.name, 'Wang^XiaoDong=王^小东=');
  assert.deepEqual(description.patient.nameGroups, {
    alphabetic: 'Wang^XiaoDong',
    ideographic: '王^小东',
    phonetic: '',
  });
  assert.equal(description.characterSet, 'GB18030');
  assert.ok(validateDataSet(parsed).some((w) => w.code === 'DICOM_INVALID_CS_VALUE'));
});

test('items find their file when the same bytes were parsed again; the caller’s array is left unmarked', () => {
  const bytes = part10(
    explicit(0x0008, 0x0005, 'CS', ascii('ISO_IR 192')),
    explicit(
      0x0008,
      0x2218,
      'SQ',
      item(explicit(0x0008, 0x0104, 'LO', Uint8Array.of(0xe7, 0x9c, 0xbc))),
    ),
  );
  const first = parseDicomBytes(bytes, 'first.dcm');
  const second = parseDicomBytes(bytes, 'second.dcm');
  const meaning = (parsed: typeof first) =>
    readString(
      parsed.dataSet.elements[Tag.AnatomicRegionSequence]!.items![0]!.dataSet!,
      Tag.CodeMeaning,
    );
  assert.equal(meaning(first), '眼');
  assert.equal(meaning(second), '眼');
  assert.deepEqual(Object.getOwnPropertySymbols(bytes), []);
});
