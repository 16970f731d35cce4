import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eyeFindingsProblems } from './icrop3-checks.ts';
import { eyeFindingsFromForm } from './icrop3-form.ts';
import {
  COURSE,
  PLUS,
  STAGES,
  YES_NO,
  ZONES,
  clockHoursSchema,
  eyeFindingsSchema,
  isDetachment,
  plusRank,
  stageRank,
  stageSchema,
  stageWords,
  zoneRank,
  zoneSchema,
  zoneWords,
  type EyeFindings,
} from './icrop3.ts';

test('the option lists are exactly the grading form strings', () => {
  assert.deepEqual(ZONES, ['I', 'posterior II', 'II', 'III']);
  assert.deepEqual(STAGES, ['0', '1', '2', '3', '4A', '4B', '5A', '5B', '5C']);
  assert.deepEqual(PLUS, ['none', 'pre-plus', 'plus']);
  assert.deepEqual(YES_NO, ['no', 'yes']);
  assert.deepEqual(COURSE, [
    'acute',
    'regressing',
    'regressed',
    'persistent avascular retina',
    'reactivated',
  ]);
});

test('schemas accept each option and nothing else', () => {
  for (const zone of ZONES) assert.equal(zoneSchema.parse(zone), zone);
  for (const stage of STAGES) assert.equal(stageSchema.parse(stage), stage);
  for (const bad of ['IV', 'zone I', 'ii', ''])
    assert.equal(zoneSchema.safeParse(bad).success, false);
  for (const bad of ['4', '5', 4, '6']) assert.equal(stageSchema.safeParse(bad).success, false);
  for (const ok of [0, 6, 12]) assert.equal(clockHoursSchema.safeParse(ok).success, true);
  for (const bad of [-1, 13, 2.5]) assert.equal(clockHoursSchema.safeParse(bad).success, false);
});

test('a complete eye parses to the EyeFindings type; an empty one too', () => {
  const eye: EyeFindings = eyeFindingsSchema.parse({
    zone: 'posterior II',
    stage: '3',
    plus: 'pre-plus',
    aRop: false,
    notch: true,
    course: 'acute',
    stageClockHours: { 2: 3, 3: 4 },
  });
  assert.deepEqual(eye.stageClockHours, { 2: 3, 3: 4 });
  assert.deepEqual(eyeFindingsSchema.parse({}), {});
  assert.equal(eyeFindingsSchema.safeParse({ stageClockHours: { 3: 13 } }).success, false);
});

test('ranks order severity: a more posterior zone, a higher stage, more plus', () => {
  assert.deepEqual(
    ZONES.map((z) => zoneRank(z)),
    [3, 2, 1, 0],
  );
  assert.ok(zoneRank('I') > zoneRank('posterior II'));
  assert.ok(zoneRank('posterior II') > zoneRank('II'));
  assert.ok(zoneRank('II') > zoneRank('III'));
  assert.deepEqual(
    STAGES.map((s) => stageRank(s)),
    [0, 1, 2, 3, 4, 5, 6, 7, 8],
  );
  assert.deepEqual(
    PLUS.map((p) => plusRank(p)),
    [0, 1, 2],
  );
});

test('stages 4A to 5C are detachments, 0 to 3 are not', () => {
  assert.deepEqual(
    STAGES.filter((s) => isDetachment(s)),
    ['4A', '4B', '5A', '5B', '5C'],
  );
});

test('zones and stages in clinical words', () => {
  assert.deepEqual(
    ZONES.map((z) => zoneWords(z)),
    ['zone I', 'posterior zone II', 'zone II', 'zone III'],
  );
  assert.equal(stageWords('0'), 'no ROP');
  assert.equal(stageWords('4B'), 'stage 4B');
});

test('consistent findings have no problems', () => {
  assert.deepEqual(eyeFindingsProblems({}), []);
  assert.deepEqual(
    eyeFindingsProblems({ zone: 'II', stage: '3', stageClockHours: { 1: 2, 2: 4, 3: 6 } }),
    [],
  );
  // Stage 4 and 5 keep their stage 1–3 extents, and may carry a zone.
  assert.deepEqual(eyeFindingsProblems({ zone: 'II', stage: '4A', stageClockHours: { 3: 5 } }), []);
  assert.deepEqual(eyeFindingsProblems({ zone: 'I', stage: '5C' }), []);
  // Without a recorded stage there is nothing to contradict.
  assert.deepEqual(eyeFindingsProblems({ stageClockHours: { 3: 4 } }), []);
  // An extent of 0 for a stage above the maximum is no finding.
  assert.deepEqual(eyeFindingsProblems({ stage: '1', stageClockHours: { 1: 3, 3: 0 } }), []);
});

test('an extent for a stage above the recorded maximum is a problem', () => {
  assert.deepEqual(eyeFindingsProblems({ stage: '2', stageClockHours: { 3: 4 } }), [
    'Stage 3 extent is 4 clock hours but the most severe stage recorded is 2',
  ]);
  assert.deepEqual(eyeFindingsProblems({ stage: '0', stageClockHours: { 1: 1 } }), [
    'Stage 1 extent is 1 clock hour but the most severe stage recorded is 0',
  ]);
});

test('extents adding up to more than 12 clock hours are a problem; exactly 12 is not', () => {
  assert.deepEqual(eyeFindingsProblems({ stage: '3', stageClockHours: { 1: 4, 2: 4, 3: 4 } }), []);
  assert.deepEqual(eyeFindingsProblems({ stage: '3', stageClockHours: { 1: 4, 2: 4, 3: 5 } }), [
    'The stage extents add up to 13 clock hours; the retina has 12',
  ]);
});

test('the most severe stage with an extent of 0 and out-of-range extents are problems', () => {
  assert.deepEqual(eyeFindingsProblems({ stage: '3', stageClockHours: { 3: 0 } }), [
    'Stage 3 is the most severe stage recorded but its extent is 0 clock hours',
  ]);
  assert.deepEqual(eyeFindingsProblems({ stageClockHours: { 1: 13, 2: 2.5 } }), [
    'Stage 1 extent must be whole clock hours from 0 to 12 (got 13)',
    'Stage 2 extent must be whole clock hours from 0 to 12 (got 2.5)',
  ]);
});

test('the form entries of one eye become findings', () => {
  const entries = {
    od_zone: 'posterior II',
    od_stage: '2',
    od_plus: 'pre-plus',
    od_a_rop: 'no',
    od_notch: 'yes',
    od_course: 'regressing',
    od_stage1_clock_hours: '3',
    od_stage2_clock_hours: 4,
    od_stage3_clock_hours: '',
    os_zone: 'III',
  };
  assert.deepEqual(eyeFindingsFromForm(entries, 'od_'), {
    findings: {
      zone: 'posterior II',
      stage: '2',
      plus: 'pre-plus',
      aRop: false,
      notch: true,
      course: 'regressing',
      stageClockHours: { 1: 3, 2: 4 },
    },
    problems: [],
  });
  assert.deepEqual(eyeFindingsFromForm(entries, 'os_'), {
    findings: { zone: 'III' },
    problems: [],
  });
  assert.deepEqual(eyeFindingsFromForm({ zone: null, stage: ' ' }), { findings: {}, problems: [] });
});

test('form entries that are not options are reported and left out', () => {
  const { findings, problems } = eyeFindingsFromForm({
    zone: 'IV',
    stage: '4',
    plus: 'plus',
    a_rop: 'maybe',
    stage3_clock_hours: 14,
  });
  assert.deepEqual(findings, { plus: 'plus' });
  assert.deepEqual(problems, [
    'Zone "IV" is not one of I, posterior II, II, III',
    'Stage "4" is not one of 0, 1, 2, 3, 4A, 4B, 5A, 5B, 5C',
    'A-ROP "maybe" is not yes or no',
    'Stage 3 extent "14" is not whole clock hours from 0 to 12',
  ]);
});
