/**
 * What the intended-use gate is told: ages from the patient record (GA at birth, PMA, days
 * since birth), else days since birth from the header's birth date or an exact Patient's Age;
 * a coarse or missing age is left out (unknown), never guessed. The shipped pediatric chest
 * classifier on a neonate's film is outside its intended use; without an age it is not
 * confirmed, never within.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { projectRoot } from '../testing/shared-data.ts';
import { intendedUseDecision } from './intended-use.ts';
import { exactAgeStringDays, intendedUseContextOf } from './intended-use-context.ts';
import { parseManifest } from './load-package.ts';

const record = { patientId: 'P', birthDate: '2026-01-01', gaWeeks: 27, gaDays: 3 };

test('ages from the record: GA at birth, PMA and days since birth at the exam', () => {
  const context = intendedUseContextOf(
    { domain: 'chest', modality: 'DX', view: 'AP', studyDate: '20260115' },
    record,
  );
  assert.deepEqual(context, {
    domain: 'chest',
    modality: 'DX',
    view: 'AP',
    patient: { gaAtBirthDays: 192, chronologicalDays: 14, pmaDays: 206 },
  });
});

test('without a record: days since birth from the header, else an exact age string, else nothing', () => {
  assert.deepEqual(
    intendedUseContextOf({ domain: 'chest', studyDate: '20260110', birthDate: '20260101' }).patient,
    { chronologicalDays: 9 },
  );
  assert.deepEqual(intendedUseContextOf({ domain: 'chest', patientAge: '002W' }).patient, {
    chronologicalDays: 14,
  });
  assert.equal(intendedUseContextOf({ domain: 'chest', patientAge: '002Y' }).patient, undefined);
  assert.equal(
    intendedUseContextOf({ domain: 'chest', studyDate: '20251231', birthDate: '20260101' }).patient,
    undefined,
    'an exam before birth gives no age',
  );
  assert.equal(exactAgeStringDays('010D'), 10);
  assert.equal(exactAgeStringDays('003M'), undefined);
  assert.equal(exactAgeStringDays(''), undefined);
});

test('the shipped pediatric chest classifier: outside on a neonate, not confirmed without an age', () => {
  const folder = join(projectRoot, 'models', 'chest-pneumonia');
  const manifest = parseManifest(readFileSync(join(folder, 'manifest.json'), 'utf8'), folder);
  const neonate = intendedUseDecision(
    manifest,
    intendedUseContextOf(
      { domain: 'chest', modality: 'DX', view: 'AP', studyDate: '20260103' },
      record,
    ),
  );
  assert.equal(neonate.status, 'outside');
  assert.match(neonate.label!, /age since birth 2 days is below/);
  const ageless = intendedUseDecision(
    manifest,
    intendedUseContextOf({ domain: 'chest', modality: 'DX', view: 'AP' }),
  );
  assert.equal(ageless.status, 'unknown');
  assert.match(ageless.label!, /not confirmed: age since birth not known/);
});
