/** The Validation panel's wording of the numbers, and case ids back to the exam they open. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { interval, kindText, num, proportion, splitCaseId } from './agreement-format.ts';

test('numbers, intervals and proportions as the panel shows them', () => {
  assert.equal(num(0.63636), '0.636');
  assert.equal(num(null), '—');
  assert.equal(interval([0.1, 0.9]), '0.100–0.900');
  assert.equal(interval(null), 'no CI');
  assert.equal(
    proportion({
      x: 3,
      n: 4,
      estimate: 0.75,
      ci95: [0.3, 0.95],
      caseIds: [],
      numeratorCaseIds: [],
    }),
    '3/4 = 0.750 (95% CI 0.300–0.950)',
  );
  assert.equal(
    kindText({ fieldKind: 'ordinal', categories: ['none', 'pre-plus', 'plus'] }),
    'ordinal (none < pre-plus < plus)',
  );
});

test('a case id names the report and its signed version; the report id may hold dots and dashes', () => {
  assert.deepEqual(splitCaseId('retina-0123abcd-OU@2'), {
    reportId: 'retina-0123abcd-OU',
    version: 2,
  });
  assert.deepEqual(splitCaseId('a.b-c@10'), { reportId: 'a.b-c', version: 10 });
});
