/** Study date ranges: both ends included, either open, undated images in none; and in words. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeDateRange, inStudyDateRange } from './study-dates.ts';

test('a range includes both ends; an open end is open; an undated image is in no range', () => {
  const march = { from: '2026-03-02', to: '2026-03-06' };
  assert.equal(inStudyDateRange('20260302', march), true);
  assert.equal(inStudyDateRange('20260306', march), true);
  assert.equal(inStudyDateRange('20260301', march), false);
  assert.equal(inStudyDateRange('20260307', march), false);
  assert.equal(inStudyDateRange('19990101', { to: '2026-03-06' }), true);
  assert.equal(inStudyDateRange('20990101', { from: '2026-03-02' }), true);
  assert.equal(inStudyDateRange('', {}), false);
  assert.equal(inStudyDateRange('2026030', {}), false);
});

test('the range in words', () => {
  assert.equal(describeDateRange({ from: '2026-03-02', to: '2026-03-02' }), 'of 2026-03-02');
  assert.equal(
    describeDateRange({ from: '2026-03-02', to: '2026-03-06' }),
    'from 2026-03-02 to 2026-03-06',
  );
  assert.equal(describeDateRange({ from: '2026-03-02' }), 'from 2026-03-02 on');
  assert.equal(describeDateRange({ to: '2026-03-06' }), 'up to 2026-03-06');
  assert.equal(describeDateRange({}), 'of any date');
});
