/**
 * The Validation panel in the real renderer: two ophthalmologists have signed ROP visits that
 * two versions of a site model analysed; the panel shows, per version, κ and the model-by-reader
 * counts, the same numbers as the CSV `neoscope validate` writes; a case id opens its exam.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { validationCsv } from '../core/validation/agreement-text.ts';
import { siteValidation } from '../core/validation/site-validation.ts';
import {
  createSiteAccounts,
  callerOf,
  SECOND_READER,
  signVisits,
  type SignedVisit,
} from '../core/validation/testing/signed-site.ts';
import { artifacts, openWorkstation, type Harness } from './harness.ts';

let harness: Harness;
let page: Page;
let visits: SignedVisit[] = [];

before(async () => {
  harness = await openWorkstation('validation', {
    viewport: { width: 1400, height: 900 },
    beforeServe: async (w) => {
      await createSiteAccounts(callerOf(w));
      const plus = (ai: string, reader: string, version = '0.1.0', signer = {}) => ({
        ai: { od_plus: { value: ai, confidence: 0.8 } },
        reader: { od_plus: reader },
        version,
        ...signer,
      });
      visits = await signVisits(w, [
        { patientId: 'E2E-1', examDate: '20260105', ...plus('none', 'none') },
        { patientId: 'E2E-2', examDate: '20260105', ...plus('pre-plus', 'none') },
        {
          patientId: 'E2E-3',
          examDate: '20260106',
          ...plus('plus', 'plus', '0.1.0', { signer: SECOND_READER }),
        },
        {
          patientId: 'E2E-4',
          examDate: '20260106',
          ...plus('plus', 'plus', '0.2.0', { signer: SECOND_READER }),
        },
        { patientId: 'E2E-5', examDate: '20260107', ...plus('pre-plus', 'pre-plus', '0.2.0') },
      ]);
      await callerOf(w)('auth.logout', {});
    },
  });
  ({ page } = harness);
});

after(async () => {
  await harness?.close();
});

test(
  'κ and the counts per model version, as in the CSV; a case opens its exam',
  { timeout: 240_000 },
  async () => {
    await page.getByRole('button', { name: 'Validation' }).click();
    const panel = page.getByRole('complementary', { name: 'Validation' });
    await panel.getByTestId('validation-summary').waitFor();
    const group = (version: string) =>
      panel.locator(
        `[data-testid=validation-group][data-model-version="${version}"][data-field=od_plus]`,
      );
    await group('0.1.0').waitFor();
    await group('0.2.0').waitFor();

    const csv = validationCsv(await siteValidation(harness.workstation.data!));
    const rows = csv
      .trim()
      .split('\n')
      .map((r) => r.split(','));
    const header = rows[0]!;
    const csvValue = (version: string, statistic: string, column: string, detail?: string) =>
      rows.find(
        (r) =>
          r[header.indexOf('model_version')] === version &&
          r[header.indexOf('field')] === 'od_plus' &&
          r[header.indexOf('statistic')] === statistic &&
          (detail === undefined || r[header.indexOf('detail')] === detail),
      )?.[header.indexOf(column)];

    for (const version of ['0.1.0', '0.2.0']) {
      const shown = await group(version).getByTestId('kappa-linear').textContent();
      const kappa = Number(csvValue(version, 'kappa_linear', 'estimate'));
      assert.ok(
        shown!.startsWith(kappa.toFixed(3)),
        `${version}: panel "${shown}" vs CSV ${kappa}`,
      );
      // The counts table: rows the model, columns the reader, as the CSV's count rows.
      const cells = await group(version).getByTestId('confusion').locator('tbody tr').all();
      const categories = ['none', 'pre-plus', 'plus'];
      for (const [i, row] of cells.entries()) {
        const counts = await row.locator('td').allTextContents();
        assert.deepEqual(
          counts.map(Number),
          categories.map((reader) =>
            Number(csvValue(version, 'count', 'x', `model=${categories[i]}; reader=${reader}`)),
          ),
        );
      }
    }
    // Version 0.1.0: 3 cases (two readers), agreement 2/3; version 0.2.0: 2 of 2.
    assert.match((await group('0.1.0').getByTestId('agreement').textContent())!, /^2\/3/);
    assert.match((await group('0.2.0').getByTestId('agreement').textContent())!, /^2\/2/);
    await page.screenshot({ path: join(artifacts, 'validation-panel.png') });

    await group('0.1.0').getByRole('button', { name: '3 cases' }).first().click();
    const list = panel.getByTestId('case-list');
    await list.waitFor();
    const second = visits[1]!;
    await list.getByRole('button', { name: `${second.reportId}@1` }).click();
    await page.getByRole('complementary', { name: 'Validation' }).waitFor({ state: 'detached' });
  },
);
