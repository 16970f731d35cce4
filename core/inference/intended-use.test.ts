/**
 * The intended-use gate: within, outside and unknown (a missing fact is never 'within'),
 * refusal with its own code, the label otherwise, and the manifest's scope block.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { checkIntendedUse, intendedUseDecision, type IntendedUseContext } from './intended-use.ts';
import { parseManifest } from './load-package.ts';
import type { IntendedUseScope } from './portable/package-schema.ts';
import { fixtureManifest } from './testing/fixture-package.ts';
import { projectRoot } from '../testing/shared-data.ts';

/** A chest classifier for children aged 1 to 5 years (365 days up to the 6th birthday). */
const CHILD_CHEST: IntendedUseScope = {
  domain: 'chest',
  modality: ['CR', 'DX'],
  view: ['AP', 'PA'],
  age: { measure: 'chronologicalDays', min: 365, max: 2190 },
  outsideUse: 'label',
};
const film = (patient?: IntendedUseContext['patient']): IntendedUseContext => ({
  domain: 'chest',
  modality: 'DX',
  view: 'AP',
  ...(patient ? { patient } : {}),
});
// A neonate born at 32+0 weeks, filmed on day 3: PMA 32+3.
const NEONATE = { gaAtBirthDays: 224, pmaDays: 227, chronologicalDays: 3 };

test('a 2-year-old’s frontal film is within; a neonate’s is outside, saying why', () => {
  const child = checkIntendedUse(CHILD_CHEST, film({ chronologicalDays: 730 }));
  assert.equal(child.status, 'within');
  assert.deepEqual(child.reasons, []);
  assert.deepEqual(
    child.checks.map((c) => [c.criterion, c.status]),
    [
      ['domain', 'within'],
      ['modality', 'within'],
      ['view', 'within'],
      ['age', 'within'],
    ],
  );
  const neonate = checkIntendedUse(CHILD_CHEST, film(NEONATE));
  assert.equal(neonate.status, 'outside');
  assert.deepEqual(neonate.reasons, [
    "age since birth 3 days is below the model's range (from 365 days (1 y 0 m) to 2190 days (5 y 11 m))",
  ]);
});

test('a missing age, modality or view is unknown, never within', () => {
  const noAge = checkIntendedUse(CHILD_CHEST, film());
  assert.equal(noAge.status, 'unknown');
  assert.match(noAge.reasons[0]!, /age since birth not known/);
  // Another measure is no substitute for the one the scope is stated in.
  const onlyPma = checkIntendedUse(CHILD_CHEST, film({ pmaDays: 40 * 7 }));
  assert.equal(onlyPma.status, 'unknown');
  const noModality = checkIntendedUse(CHILD_CHEST, {
    domain: 'chest',
    modality: ' ',
    patient: { chronologicalDays: 800 },
  });
  assert.equal(noModality.status, 'unknown');
  assert.deepEqual(noModality.reasons, [
    'modality not recorded (the model is for CR, DX)',
    'view not recorded (the model is for AP, PA)',
  ]);
  const noScope = checkIntendedUse(undefined, film({ chronologicalDays: 800 }));
  assert.equal(noScope.status, 'unknown');
  assert.match(noScope.reasons[0]!, /states no checkable intended use/);
});

test('outside wins over unknown, and every reason is kept', () => {
  const r = checkIntendedUse(CHILD_CHEST, { domain: 'retina', modality: 'OP' });
  assert.equal(r.status, 'outside');
  assert.deepEqual(r.reasons, [
    'a retina image, the model is for chest images',
    'modality OP is not one of CR, DX',
    'view not recorded (the model is for AP, PA)',
    'age since birth not known (the model is for age since birth from 365 days (1 y 0 m) to 2190 days (5 y 11 m))',
  ]);
});

test('bounds are inclusive; lists match without regard to case or spacing', () => {
  const preterm: IntendedUseScope = {
    domain: 'retina',
    age: { measure: 'pmaDays', min: 30 * 7, max: 45 * 7 },
    cameraModels: ['RetCam 3'],
    outsideUse: 'refuse',
  };
  const eye = (pmaDays: number, cameraModel = 'retcam  3') =>
    checkIntendedUse(preterm, { domain: 'retina', cameraModel, patient: { pmaDays } }).status;
  assert.equal(eye(210), 'within');
  assert.equal(eye(315), 'within');
  assert.equal(eye(209), 'outside');
  assert.equal(eye(316), 'outside');
  assert.equal(eye(250, 'Pictor Plus'), 'outside');
  const onlyMax = checkIntendedUse(
    { domain: 'retina', age: { measure: 'gaAtBirthDays', max: 30 * 7 + 6 }, outsideUse: 'label' },
    { domain: 'retina', patient: { gaAtBirthDays: 28 * 7 } },
  );
  assert.equal(onlyMax.status, 'within');
  assert.match(onlyMax.checks[1]!.detail, /gestational age at birth 28\+0 weeks .*to 30\+6 weeks/);
});

test('the decision: refuse throws MODEL_OUTSIDE_INTENDED_USE; label and unknown run with a label', () => {
  const refusing = {
    id: 'chest-x',
    version: '1.0.0',
    intendedUseScope: { ...CHILD_CHEST, outsideUse: 'refuse' as const },
  };
  assert.throws(
    () => intendedUseDecision(refusing, film(NEONATE)),
    (e: { code?: string; message: string }) =>
      e.code === 'MODEL_OUTSIDE_INTENDED_USE' &&
      /chest-x 1\.0\.0 was not run: outside/.test(e.message),
  );
  const unknown = intendedUseDecision(refusing, film());
  assert.equal(unknown.status, 'unknown');
  assert.match(
    unknown.label!,
    /^Intended use of chest-x 1\.0\.0 not confirmed: age since birth not known/,
  );

  const labelling = { ...refusing, intendedUseScope: CHILD_CHEST };
  const outside = intendedUseDecision(labelling, film(NEONATE));
  assert.equal(outside.status, 'outside');
  assert.match(
    outside.label!,
    /^Outside the intended use of chest-x 1\.0\.0: age since birth 3 days/,
  );
  const within = intendedUseDecision(labelling, film({ chronologicalDays: 1000 }));
  assert.equal(within.label, undefined);
  assert.match(
    intendedUseDecision({ id: 'old', version: '0.1.0' }, film()).label!,
    /states no checkable/,
  );
});

test('the manifest accepts a valid scope and names the field of an invalid one', () => {
  const base = fixtureManifest('0'.repeat(64), 1, 0); // a retina package
  const parse = (intendedUseScope: unknown) =>
    parseManifest(JSON.stringify({ ...base, intendedUseScope }), 'manifest.json');
  const scope = { domain: 'retina', age: { measure: 'pmaDays', min: 210 }, outsideUse: 'label' };
  assert.deepEqual(parse(scope).intendedUseScope, scope);
  const invalid: [unknown, RegExp][] = [
    [{ ...scope, domain: 'chest' }, /intendedUseScope\.domain: must be the package's domain/],
    [{ ...scope, age: { measure: 'pmaDays' } }, /intendedUseScope\.age: give min, max or both/],
    [
      { ...scope, age: { measure: 'pmaDays', min: 300, max: 200 } },
      /intendedUseScope\.age: min > max/,
    ],
    [{ ...scope, age: { measure: 'weeks', min: 1 } }, /intendedUseScope\.age\.measure/],
    [{ ...scope, outsideUse: 'warn' }, /intendedUseScope\.outsideUse/],
    [{ ...scope, modality: [] }, /intendedUseScope\.modality/],
    [{ ...scope, extra: true }, /intendedUseScope/],
  ];
  for (const [bad, message] of invalid)
    assert.throws(
      () => parse(bad),
      (e: { code?: string; message: string }) =>
        e.code === 'MODEL_SCHEMA_INVALID' && message.test(e.message),
      `${JSON.stringify(bad)} should fail with ${message}`,
    );
  assert.equal(parseManifest(JSON.stringify(base), 'manifest.json').intendedUseScope, undefined);
});

test('no shipped package is ever "within" its intended use on a neonate’s film without saying so', () => {
  const models = join(projectRoot, 'models');
  for (const id of readdirSync(models).filter((d) => d !== 'slots' && !d.endsWith('.md'))) {
    const where = join(models, id, 'manifest.json');
    const manifest = parseManifest(readFileSync(where, 'utf8'), where);
    if (manifest.id !== 'chest-pneumonia') continue;
    const decision = intendedUseDecision(manifest, film(NEONATE));
    assert.notEqual(decision.status, 'within', `${id} must not claim neonatal films`);
    assert.ok(decision.label, `${id} labels its result on a neonatal film`);
  }
});
