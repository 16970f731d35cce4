import assert from 'node:assert/strict';
import { test } from 'node:test';
import { etropClass, type EtropCategory } from './etrop.ts';
import { COURSE, ZONES, type Plus, type Stage, type Zone } from './icrop3.ts';

const T1 = 'type 1';
const T2 = 'type 2';
const N = 'neither';
const INC = 'incomplete';

/**
 * The ETROP table written out in full: for each zone and stage 0–3, the category with plus
 * none, pre-plus, plus. Posterior zone II reads as zone II.
 */
const TABLE: Record<Zone, Record<'0' | '1' | '2' | '3', [string, string, string]>> = {
  I: { 0: [N, N, N], 1: [T2, T2, T1], 2: [T2, T2, T1], 3: [T1, T1, T1] },
  'posterior II': { 0: [N, N, N], 1: [N, N, N], 2: [N, N, T1], 3: [T2, T2, T1] },
  II: { 0: [N, N, N], 1: [N, N, N], 2: [N, N, T1], 3: [T2, T2, T1] },
  III: { 0: [N, N, N], 1: [N, N, N], 2: [N, N, N], 3: [N, N, N] },
};
const PLUS_ORDER: Plus[] = ['none', 'pre-plus', 'plus'];

/** With plus disease unrecorded: decided only where the row does not depend on it. */
const PLUS_UNRECORDED: Record<Zone, Record<'0' | '1' | '2' | '3', string>> = {
  I: { 0: N, 1: INC, 2: INC, 3: T1 },
  'posterior II': { 0: N, 1: N, 2: INC, 3: INC },
  II: { 0: N, 1: N, 2: INC, 3: INC },
  III: { 0: N, 1: N, 2: N, 3: N },
};

test('every row of the ETROP table: zone × stage 0–3 × plus', () => {
  for (const zone of ZONES)
    for (const stage of ['0', '1', '2', '3'] as const)
      PLUS_ORDER.forEach((plus, i) => {
        const r = etropClass({ zone, stage, plus });
        const expected = TABLE[zone][stage][i];
        assert.equal(r.category, expected, `zone ${zone} stage ${stage} ${plus}`);
        assert.equal(r.treatmentWarranted, expected === T1, `zone ${zone} stage ${stage} ${plus}`);
      });
});

test('plus disease unrecorded: classified only where it makes no difference', () => {
  for (const zone of ZONES)
    for (const stage of ['0', '1', '2', '3'] as const) {
      const r = etropClass({ zone, stage });
      assert.equal(r.category, PLUS_UNRECORDED[zone][stage], `zone ${zone} stage ${stage}`);
    }
  assert.equal(
    etropClass({ zone: 'I', stage: '2' }).rule,
    'Plus disease must be recorded: zone I stage 2 is type 1 with plus disease and type 2 without',
  );
  assert.equal(
    etropClass({ zone: 'I', stage: '3' }).rule,
    'Zone I, stage 3 ROP: type 1 whether or not plus disease is present (plus disease not recorded)',
  );
});

test('each matched row is named in words', () => {
  const rule = (zone: Zone, stage: Stage, plus: Plus) => etropClass({ zone, stage, plus }).rule;
  assert.equal(rule('I', '1', 'plus'), 'Zone I, any stage ROP with plus disease');
  assert.equal(rule('I', '3', 'none'), 'Zone I, stage 3 ROP without plus disease');
  assert.equal(rule('II', '2', 'plus'), 'Zone II, stage 2 or 3 ROP with plus disease');
  assert.equal(rule('I', '2', 'none'), 'Zone I, stage 1 or 2 ROP without plus disease');
  assert.equal(rule('II', '3', 'none'), 'Zone II, stage 3 ROP without plus disease');
  assert.equal(
    rule('II', '2', 'pre-plus'),
    'Zone II, stage 2 ROP without plus disease: neither type 1 nor type 2 (pre-plus counts as without plus)',
  );
  assert.equal(
    rule('posterior II', '3', 'pre-plus'),
    'Zone II, stage 3 ROP without plus disease (pre-plus counts as without plus; posterior zone II counts as zone II, ICROP3)',
  );
  assert.equal(rule('III', '3', 'plus'), 'Zone III ROP: neither type 1 nor type 2');
  assert.equal(rule('II', '0', 'none'), 'No ROP (stage 0, immature vascularisation)');
  assert.match(rule('I', '0', 'plus'), /plus disease recorded without ROP: look for A-ROP/);
});

test('type 1 cites the 72-hour treatment window; other categories do not warrant treatment', () => {
  const t1 = etropClass({ zone: 'II', stage: '3', plus: 'plus' });
  assert.match(t1.urgency, /72 hours/);
  assert.match(t1.source, /Arch Ophthalmol 2003;121/);
  assert.match(
    t1.source,
    /Pediatrics 2018;142\(6\):e20183061 — treatment of type 1 ROP within 72 hours/,
  );
  const t2 = etropClass({ zone: 'I', stage: '1', plus: 'none' });
  assert.equal(t2.treatmentWarranted, false);
  assert.match(t2.urgency, /serially/);
});

test('stage 4A–5C: detachment, urgent vitreoretinal referral, whatever the zone', () => {
  for (const stage of ['4A', '4B', '5A', '5B', '5C'] as const)
    for (const zone of [undefined, ...ZONES]) {
      const r = etropClass({ zone, stage, plus: 'none' });
      assert.equal(r.category, 'stage 4–5');
      assert.equal(r.treatmentWarranted, true);
      assert.match(r.urgency, /vitreoretinal surgeon/);
      assert.equal(r.rule, `Stage ${stage}: retinal detachment`);
    }
});

test('A-ROP warrants treatment in any zone, even before zone and stage are recorded', () => {
  for (const zone of [undefined, ...ZONES]) {
    const r = etropClass({ zone, stage: zone ? '1' : undefined, aRop: true });
    assert.equal(r.category, 'type 1');
    assert.equal(r.treatmentWarranted, true);
    assert.match(r.rule, /^A-ROP/);
    assert.match(r.source, /Ophthalmology 2021/);
  }
  assert.equal(etropClass({ zone: 'II', stage: '4B', aRop: true }).category, 'stage 4–5');
  assert.equal(
    etropClass({ zone: 'II', stage: '1', plus: 'none', aRop: false }).category,
    'neither',
  );
});

test('missing zone or stage is incomplete, never neither', () => {
  const cases: [Zone | undefined, Stage | undefined, string][] = [
    [undefined, '1', 'The zone must be recorded to classify'],
    ['II', undefined, 'The stage must be recorded to classify'],
    [undefined, undefined, 'The zone and stage must be recorded to classify'],
    [undefined, '0', 'The zone must be recorded to classify'],
  ];
  for (const [zone, stage, rule] of cases) {
    const r = etropClass({ zone, stage, plus: 'none' });
    assert.equal(r.category, 'incomplete');
    assert.equal(r.treatmentWarranted, false);
    assert.equal(r.rule, rule);
  }
  assert.equal(etropClass({}).category, 'incomplete');
});

test('regressed and persistent avascular retina say so; type 1 findings still count', () => {
  const regressed = etropClass({ zone: 'II', stage: '2', plus: 'none', course: 'regressed' });
  assert.equal(regressed.category, 'neither');
  assert.match(regressed.rule, /^ROP regressed/);
  const par = etropClass({ course: 'persistent avascular retina' });
  assert.equal(par.category, 'neither');
  assert.match(par.rule, /^Persistent avascular retina/);
  const contradictory = etropClass({ zone: 'I', stage: '3', plus: 'plus', course: 'regressed' });
  assert.equal(contradictory.category, 'type 1');
  assert.match(contradictory.rule, /course recorded as regressed/);
  assert.equal(etropClass({ stage: '4A', course: 'regressed' }).category, 'stage 4–5');
});

test('acute, regressing and reactivated ROP are classified by the table', () => {
  for (const course of COURSE.filter(
    (c) => !['regressed', 'persistent avascular retina'].includes(c),
  )) {
    const r = etropClass({ zone: 'II', stage: '3', plus: 'plus', course });
    assert.equal(r.category, 'type 1' satisfies EtropCategory, course);
  }
  assert.match(
    etropClass({ zone: 'I', stage: '1', plus: 'none', course: 'reactivated' }).rule,
    /\(reactivated ROP\)$/,
  );
});
