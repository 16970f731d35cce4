/**
 * Acceptance: every attribute PS3.15 Table E.1-1 lists, planted in a real file (CT_small
 * from pydicom) with a value of its own VR, is removed, emptied, replaced or kept as the
 * Basic Profile says, with and without the Retain Longitudinal Full Dates option. The
 * result is read back with dcmtk (dcmdump) and dicom-parser, not with the writer.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import dcmjs from 'dcmjs';
import { sharedDataPath } from '../../testing/shared-data.ts';
import dicomParser, { type DataSet } from '../dicom-parser-module.ts';
import { BASIC_PROFILE } from './basic-profile.ts';
import { deidentifyDicom, replacementUid } from './deidentify.ts';

const NESTED_UID = '1.2.826.0.1.3680043.2.1143.777';

function sampleValue(vr: string, index: number): unknown[] {
  switch (vr) {
    case 'PN':
      return [{ Alphabetic: 'Doe^Jane' }];
    case 'DA':
      return ['20240315'];
    case 'TM':
      return ['101500'];
    case 'DT':
      return ['20240315101500'];
    case 'UI':
      return [`1.2.826.0.1.3680043.2.1143.${index + 1}`];
    case 'AS':
      return ['010D'];
    case 'CS':
      return ['IDENTIFYING'];
    case 'IS':
      return ['5'];
    case 'DS':
      return ['2.5'];
    case 'US':
    case 'SS':
    case 'UL':
    case 'SL':
      return [7];
    case 'FL':
    case 'FD':
      return [1.5];
    case 'OB':
    case 'OW':
    case 'UN':
      return [new Uint8Array([1, 2, 3, 4]).buffer];
    case 'SQ':
      return [
        {
          '00081155': { vr: 'UI', Value: [NESTED_UID] },
          '00100010': { vr: 'PN', Value: [{ Alphabetic: 'Nested^Name' }] },
        },
      ];
    default:
      return ['IDENTIFYING TEXT'];
  }
}

/** Profile attributes that can sit in a stored data set (not command group 0000, not meta 0002). */
const PLANTABLE = BASIC_PROFILE.filter(
  (e) =>
    !e.tag.includes('x') &&
    !e.tag.startsWith('0000') &&
    !e.tag.startsWith('0002') &&
    !e.tag.startsWith('FFF'),
);

function plantEveryAttribute(): { bytes: Uint8Array; vrs: Map<string, string> } {
  const original = readFileSync(sharedDataPath('dicom/pydicom/CT_small.dcm'));
  const message = dcmjs.data.DicomMessage.readFile(
    original.buffer.slice(
      original.byteOffset,
      original.byteOffset + original.length,
    ) as ArrayBuffer,
  );
  const vrs = new Map<string, string>();
  PLANTABLE.forEach((entry, index) => {
    const key = `(${entry.tag.slice(0, 4)},${entry.tag.slice(4)})`;
    const vr = (dcmjs.data.DicomMetaDictionary.dictionary[key]?.vr ?? 'LO').split(/\s|or/)[0]!;
    vrs.set(entry.tag, vr);
    if (entry.tag in message.dict && entry.tag !== '00100010') return; // keep the file's own identity values
    message.dict[entry.tag] = { vr, Value: sampleValue(vr, index) };
  });
  message.dict['00091001'] = { vr: 'LO', Value: ['PRIVATE PATIENT NOTE'] };
  message.dict['60003000'] = { vr: 'OW', Value: [new Uint8Array(8).buffer] };
  return { bytes: new Uint8Array(message.write()), vrs };
}

function parse(bytes: Uint8Array): DataSet {
  return dicomParser.parseDicom(bytes);
}

function text(ds: DataSet, tag: string): string | undefined {
  const element = ds.elements[`x${tag.toLowerCase()}`];
  if (!element) return undefined;
  return Buffer.from(ds.byteArray.subarray(element.dataOffset, element.dataOffset + element.length))
    .toString('latin1')
    .replace(/[\0 ]+$/, '');
}

for (const retain of [false, true]) {
  test(`Basic Profile${retain ? ' + Retain Longitudinal Full Dates' : ''}: every listed attribute is handled`, () => {
    const { bytes, vrs } = plantEveryAttribute();
    const before = parse(bytes);
    const key = 'test-site-secret';
    const output = deidentifyDicom(bytes, { uidKey: key, retainLongitudinalFullDates: retain });
    const dir = mkdtempSync(join(tmpdir(), 'neoscope-deid-'));
    writeFileSync(join(dir, 'out.dcm'), output);
    execFileSync('dcmdump', ['-q', join(dir, 'out.dcm')], { stdio: 'pipe' }); // dcmtk reads it without errors
    const after = parse(output);
    let checked = 0;
    for (const entry of PLANTABLE) {
      const original = text(before, entry.tag);
      const now = text(after, entry.tag);
      const vr = vrs.get(entry.tag)!;
      const where = `${entry.name} (${entry.tag}) ${entry.action}`;
      checked++;
      if (retain && entry.longitudinalDate) {
        assert.equal(now, original, `${where}: kept under the full-dates option`);
        continue;
      }
      if (entry.action === 'X') assert.equal(now, undefined, `${where}: removed`);
      else if (entry.action === 'Z' || entry.action === 'X/Z') {
        if (vr === 'SQ')
          assert.ok(after.elements[`x${entry.tag.toLowerCase()}`], `${where}: sequence present`);
        else assert.equal(now, '', `${where}: present and empty`);
      } else if (entry.action === 'U') {
        if (entry.tag === '00080016') continue;
        assert.equal(now, replacementUid(original!, key), `${where}: replaced by the keyed UID`);
        assert.match(now!, /^2\.25\.\d+$/);
      } else if (entry.action === 'X/Z/U*') {
        const nested = after.elements[`x${entry.tag.toLowerCase()}`]?.items?.[0]?.dataSet;
        assert.ok(nested, `${where}: sequence kept`);
        assert.equal(
          text(nested!, '00081155'),
          replacementUid(NESTED_UID, key),
          `${where}: UID inside replaced`,
        );
        assert.equal(text(nested!, '00100010'), '', `${where}: identity inside emptied`);
      } else {
        // D and combinations with D: a dummy value, never the original
        if (vr === 'SQ') {
          const nested = after.elements[`x${entry.tag.toLowerCase()}`]?.items?.[0]?.dataSet;
          assert.ok(nested, `${where}: sequence kept`);
          assert.notEqual(
            text(nested!, '00100010'),
            'Nested^Name',
            `${where}: identity inside cleaned`,
          );
        } else {
          assert.ok(now !== undefined && now !== '', `${where}: dummy value present`);
          if (!['US', 'SS', 'UL', 'SL', 'FL', 'FD', 'IS', 'DS'].includes(vr))
            assert.notEqual(now, original, `${where}: not the original`);
        }
      }
    }
    assert.ok(checked >= 440, `checked ${checked} attributes`);
    assert.equal(after.elements.x00091001, undefined, 'private attributes removed');
    assert.equal(after.elements.x60003000, undefined, 'overlay data removed');
    assert.equal(text(after, '00120062'), 'YES');
    assert.equal(text(after, '00280303'), retain ? 'UNMODIFIED' : 'REMOVED');
    const pixels = (ds: DataSet) =>
      Buffer.from(
        ds.byteArray.subarray(
          ds.elements.x7fe00010!.dataOffset,
          ds.elements.x7fe00010!.dataOffset + ds.elements.x7fe00010!.length,
        ),
      );
    assert.ok(pixels(before).equals(pixels(after)), 'pixel data unchanged');
    assert.equal(
      text(after, '00020003'),
      text(after, '00080018'),
      'meta SOP Instance UID follows the new one',
    );
    console.log(
      `# de-identification${retain ? ' (full dates retained)' : ''}: ${checked} profile attributes checked`,
    );
  });
}

test('a pseudonym replaces the identity; the same UID maps the same way across files, differently per key', () => {
  const { bytes } = plantEveryAttribute();
  const output = parse(
    deidentifyDicom(bytes, {
      uidKey: 'k1',
      pseudonym: { patientId: 'NS-7F3A', patientName: 'NS-7F3A' },
    }),
  );
  assert.equal(text(output, '00100020'), 'NS-7F3A');
  assert.equal(replacementUid('1.2.3', 'k1'), replacementUid('1.2.3', 'k1'));
  assert.notEqual(replacementUid('1.2.3', 'k1'), replacementUid('1.2.3', 'k2'));
});
