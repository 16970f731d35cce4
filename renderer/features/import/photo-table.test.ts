import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PhotoDescription } from '../../../core/api/schemas.ts';
import { DEFAULT_EYE_NAME_PATTERNS } from '../../../core/vocabulary/eye-names.ts';
import { applyNamePatterns, EMPTY_DETAILS, rowMetadata, rowsFrom } from './photo-table.ts';

const described = (
  fileName: string,
  metadata: PhotoDescription['metadata'],
  sources: Record<string, string> = {},
): PhotoDescription => ({
  fileName,
  format: 'jpeg',
  metadata,
  sources,
  pixels: { domain: metadata.domain, grey: false, fundusField: true, reason: 'fundus field' },
  notes: [],
});

test('the details typed once fill only what a row lacks; a sidecar row keeps its patient and eye', () => {
  const [fromSidecar, bare] = rowsFrom([
    described(
      'Image_01R.jpg',
      { domain: 'retina', patientId: 'CHASE-01', examDate: '20110101', eye: 'OD' },
      { patient: 'the sidecar CSV', eye: 'the sidecar CSV' },
    ),
    described('scan-3.jpg', { domain: 'retina' }),
  ]);
  const common = {
    ...EMPTY_DETAILS,
    patientId: 'NICU-9',
    examDate: '2026-01-05',
    eye: 'OS' as const,
  };
  assert.deepEqual(rowMetadata(fromSidecar!, common).metadata, {
    patientId: 'CHASE-01',
    examDate: '20110101',
    domain: 'retina',
    eye: 'OD',
  });
  assert.deepEqual(rowMetadata(bare!, common).metadata, {
    patientId: 'NICU-9',
    examDate: '20260105',
    domain: 'retina',
    eye: 'OS',
  });
  assert.deepEqual(rowMetadata(bare!, EMPTY_DETAILS).lacks, ['patient ID', 'exam date', 'eye']);
});

test('a chest film needs no eye and is sent without one', () => {
  const [film] = rowsFrom([described('baby_OD_2.jpg', { domain: 'chest' })]);
  const common = {
    ...EMPTY_DETAILS,
    patientId: 'NICU-9',
    examDate: '2026-01-05',
    eye: 'OD' as const,
  };
  assert.deepEqual(rowMetadata(film!, common).metadata, {
    patientId: 'NICU-9',
    examDate: '20260105',
    domain: 'chest',
  });
});

test("the site's file-name patterns give the eye where no sidecar or EXIF did", () => {
  const rows = rowsFrom([
    described('scan-links-3.jpg', { domain: 'other' }),
    described('Image_01R.jpg', { domain: 'retina', eye: 'OS' }, { eye: 'the sidecar CSV' }),
    described('film_OD_.jpg', { domain: 'chest' }),
  ]);
  const [custom, sidecar, film] = applyNamePatterns(rows, { OD: ['rechts'], OS: ['links'] });
  assert.deepEqual([custom!.found.eye, custom!.found.domain], ['OS', 'retina']);
  assert.equal(custom!.sources.eye, 'the file name (links)');
  assert.equal(sidecar!.found.eye, 'OS', 'the sidecar wins over any name');
  assert.equal(film!.found.eye, undefined, 'a chest film takes no eye from its name');
  const [defaults] = applyNamePatterns(rows, DEFAULT_EYE_NAME_PATTERNS);
  assert.equal(defaults!.found.eye, undefined);
});
