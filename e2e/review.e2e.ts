/**
 * Reading and signing in the real renderer: a reader signs in, opens a fundus exam, runs
 * the AI measurements, accepts one AI value and corrects another, signs with the password,
 * and the downloaded PDF (rendered to PNG with pdftoppm) shows both values and the
 * signature block.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { unzipSync, zipSync } from 'fflate';
import { createBatch } from '../core/exchange/batch-package.ts';
import { SiteIdentity } from '../core/exchange/site-identity.ts';
import { projectRoot, samplePath } from '../core/testing/shared-data.ts';
import { artifacts, openWorkstation, type Harness } from './harness.ts';

let harness: Harness;
let page: Page;

before(async () => {
  harness = await openWorkstation('review', {
    viewport: { width: 1400, height: 860 },
    signedOut: true,
    // The site's admin has set up a reader (accounts are not what this test is about).
    beforeServe: async (w) => {
      const call = async (op: 'users.create' | 'auth.login' | 'auth.logout', args: unknown) => {
        const r = await w.dispatch(op, args);
        if (!r.ok) throw new Error(r.error.message);
      };
      await call('users.create', {
        username: 'admin',
        displayName: 'Site Admin',
        role: 'admin',
        password: 'admin-pass-1',
      });
      await call('auth.login', { username: 'admin', password: 'admin-pass-1' });
      await call('users.create', {
        username: 'ada',
        displayName: 'Ada Reader',
        role: 'ophthalmologist',
        password: 'retina-2026!',
      });
      await call('auth.logout', {});
    },
  });
  ({ page } = harness);
});

after(async () => {
  await harness?.close();
});

test(
  'a reader accepts one AI value, corrects another, signs, and the PDF shows both and the signature',
  { timeout: 240_000 },
  async () => {
    // Signed out, the page shows no patient data and offers no import.
    await page.getByTestId('signed-out').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Import files…' }).count(), 0);
    await page.getByRole('button', { name: 'Sign in…' }).click();
    await page.getByLabel('User name').fill('ada');
    await page.getByLabel('Password', { exact: true }).fill('retina-2026!');
    await page.locator('form.sign-in button[type=submit]').click();
    await page.getByTestId('account').getByText('Ada Reader · ophthalmologist').waitFor();

    await page
      .getByTestId('import-input')
      .setInputFiles(samplePath('chest-dx-lateral-highdicom.dcm'));
    await page.getByText('Imported 1 image(s)').first().waitFor();
    await page
      .getByTestId('import-input')
      .setInputFiles([
        samplePath('fundus-exports/Image_01R.jpg'),
        samplePath('fundus-exports/fundus-exports.csv'),
      ]);
    // Photo exports are checked in the import table before they are imported.
    await page
      .getByRole('dialog', { name: 'Fundus photo details' })
      .getByRole('button', { name: 'Import' })
      .click();
    await page.locator('.worklist-item', { hasText: 'Image_01R.jpg' }).click();

    // An ophthalmologist's worklist is the retina queue; the chest film is one switch away.
    const chestItem = page.locator('.worklist-item', { hasText: 'chest-dx-lateral-highdicom.dcm' });
    assert.equal(await chestItem.count(), 0);
    await page.getByLabel(/all domains/).check();
    await chestItem.waitFor();
    await page.getByLabel(/all domains/).uncheck();

    await page.getByRole('tab', { name: 'Report' }).click();
    const panel = page.locator('.review-panel[data-status="open"]');
    await panel.waitFor();
    // Nothing is prefilled before a model runs, and nothing claims to stage ROP.
    assert.equal(await panel.locator('td[data-field="od_plus"] .ai-value strong').count(), 0);
    // Timed as a reader waits: from the click until the panel is no longer busy; then again,
    // warm (the models loaded on the worker), as after placing a disc.
    const runAi = async () => {
      const started = performance.now();
      await Promise.all([
        panel.getByTestId('review-busy').waitFor({ timeout: 120_000 }),
        panel.getByRole('button', { name: 'Run AI measurements' }).click(),
      ]);
      await panel.getByTestId('review-busy').waitFor({ state: 'detached', timeout: 120_000 });
      return performance.now() - started;
    };
    const firstMs = await runAi();
    const tiRow = panel.locator('td[data-field="od_tortuosity_index"]');
    await tiRow.locator('.ai-value strong').waitFor({ timeout: 120_000 });
    const warmMs = await runAi();
    console.log(
      `# Run AI measurements on one photograph: first ${firstMs.toFixed(0)} ms, warm ${warmMs.toFixed(0)} ms`,
    );
    assert.match(
      await panel.locator('.ai-note').first().innerText(),
      /no model installed for rop-icrop3/,
    );
    const aiTi = await tiRow.locator('.ai-value strong').innerText();
    const categoryRow = panel.locator('td[data-field="od_vascular_category"]');
    const aiCategory = await categoryRow.locator('.ai-value strong').innerText();

    await tiRow.getByRole('button', { name: 'Accept' }).click();
    await tiRow.getByText('accepted').waitFor();
    const corrected =
      aiCategory === 'at or above plus mean'
        ? 'below standard photograph'
        : 'at or above plus mean';
    await categoryRow.locator('select').selectOption(corrected);
    await categoryRow.getByText('corrected').waitFor();
    await panel.locator('td[data-field="od_zone"] select').selectOption('II');

    await panel.getByLabel('Password to sign').fill('retina-2026!');
    await panel.getByRole('button', { name: 'Sign report' }).click();
    const signed = page.locator('.review-panel[data-status="signed"]');
    await signed.waitFor();
    await signed.getByTestId('report-pdf').waitFor();
    await page.screenshot({ path: join(artifacts, 'report-signed.png') });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      signed.getByTestId('report-pdf').click(),
    ]);
    const folder = mkdtempSync(join(tmpdir(), 'neoscope-e2e-pdf-'));
    const pdfPath = join(folder, 'report.pdf');
    await download.saveAs(pdfPath);

    const text = spawnSync('pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' }).stdout;
    const vesselsVersion = (
      JSON.parse(
        readFileSync(join(projectRoot, 'models', 'retina-vessels', 'manifest.json'), 'utf8'),
      ) as { version: string }
    ).version;
    assert.ok(
      text.includes(`${aiTi} (retina-vessels ${vesselsVersion})`) &&
        text.includes(`${aiTi} (accepted AI)`),
      `accepted value in the PDF:\n${text}`,
    );
    assert.ok(
      text.includes(`AI ${aiCategory}`) && text.includes(`${corrected} (corrected AI)`),
      `AI and corrected values in the PDF:\n${text}`,
    );
    assert.match(text, /Electronically signed by Ada Reader \(ada, ophthalmologist\)/);
    assert.match(text, /Content hash sha256:[0-9a-f]{64}/);
    const render = spawnSync('pdftoppm', [
      '-png',
      '-r',
      '72',
      '-singlefile',
      pdfPath,
      join(artifacts, 'report-pdf-page1'),
    ]);
    assert.equal(render.status, 0, String(render.stderr));
    assert.ok(
      readFileSync(join(artifacts, 'report-pdf-page1.png')).length > 10_000,
      'the rendered page has content',
    );

    // The signed report is read-only in the UI.
    assert.equal(await signed.locator('td[data-field="od_zone"] select').isDisabled(), true);

    // The infant's course: with the gestational age entered, the signed exam sits at its PMA.
    const course = page.locator('.trajectory');
    await course.getByLabel('Birth date').fill('2010-11-20');
    await course.getByLabel('Gestational age weeks').fill('27');
    await course.getByLabel('Gestational age days').fill('2');
    await course.getByRole('button', { name: 'Save' }).click();
    const chart = course.locator('.chart[data-series="tortuosity_index"]');
    await chart.waitFor();
    assert.match(
      (await chart.locator('svg').getAttribute('aria-label'))!,
      new RegExp(`33\\+2 weeks ${String(Number(aiTi)).replace('.', '\\.')}`),
    );
    assert.equal(await chart.locator('circle[data-current="true"]').count(), 1);
    await page.screenshot({ path: join(artifacts, 'report-trajectory.png') });
  },
);

test(
  'an admin sets up the site, trusts a partner by fingerprint, and a tampered package is refused by name',
  { timeout: 120_000 },
  async () => {
    const partnerFolder = mkdtempSync(join(tmpdir(), 'neoscope-e2e-partner-'));
    const partner = await SiteIdentity.init(partnerFolder, 'regional-X', 'partner-site-pass-1');
    const { zip, manifest } = await createBatch(
      [
        {
          name: 'film.dcm',
          bytes: new Uint8Array(readFileSync(samplePath('chest-dx-lateral-highdicom.dcm'))),
        },
      ],
      partner,
      { softwareVersion: '0.1.0' },
    );
    const entries = unzipSync(zip);
    const target = manifest.files[0]!.path;
    entries[target]![200] = entries[target]![200]! ^ 0x01;
    const tampered = join(partnerFolder, 'tampered.zip');
    writeFileSync(tampered, zipSync(entries));

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in…' }).click();
    await page.getByLabel('User name').fill('admin');
    await page.getByLabel('Password', { exact: true }).fill('admin-pass-1');
    await page.locator('form.sign-in button[type=submit]').click();
    await page.getByRole('button', { name: 'Exchange' }).click();
    const panel = page.locator('.exchange-panel');
    await panel.locator('input[name="siteId"]').first().fill('hub-B');
    await panel.getByLabel('Site passphrase').fill('hub-site-pass-1');
    await panel.getByRole('button', { name: 'Create site keys' }).click();
    await panel.getByTestId('site-fingerprint').waitFor();
    assert.equal(
      await panel.getByTestId('site-key-state').innerText(),
      'key unlocked',
      'creating the key leaves it unlocked for this session',
    );
    await panel.getByLabel('Partner site id').fill('regional-X');
    await panel.getByLabel('Partner public key').fill(partner.publicKey);
    await panel.getByRole('button', { name: 'Add partner' }).click();
    await panel
      .getByText(`Read this fingerprint to them by phone: ${partner.fingerprint}`)
      .waitFor();

    const before = await page.locator('.worklist-item').count();
    await panel.getByTestId('batch-import-input').setInputFiles(tampered);
    const refusal = panel.getByRole('alert');
    await refusal.waitFor();
    assert.match(
      await refusal.innerText(),
      new RegExp(`${target.replace('.', '\\.')} does not match its SHA-256`),
    );
    await page.screenshot({ path: join(artifacts, 'exchange-refused.png') });

    // This site's key is there to copy for a partner; a day's work goes out as one batch.
    assert.match(
      await panel.getByTestId('site-public-key').inputValue(),
      /^[A-Za-z0-9+/=]{40,64}$/,
    );
    await panel.getByRole('button', { name: 'Copy public key' }).click();
    await panel.getByRole('status').first().waitFor();
    await panel.getByLabel('Study date from').fill('2011-01-01');
    await panel.getByLabel('Study date to').fill('2011-01-01');
    const offered = panel.getByRole('list', { name: 'Exams to send' }).getByRole('checkbox');
    assert.equal(await offered.count(), 1, 'only the fundus visit of 2011-01-01 is in range');
    await panel.getByRole('button', { name: 'Tick all shown' }).click();
    await panel.getByText('1 exam(s) of 1 patient(s) ticked · 1 image(s)').waitFor();
    await panel.getByRole('button', { name: 'Send batch' }).click();
    await panel.getByText('Package of 1 image(s) of 1 patient(s) signed.').waitFor();
    await panel.getByRole('link', { name: /^Save neoscope-batch-hub-B-/ }).waitFor();
    await page.screenshot({ path: join(artifacts, 'exchange-send-batch.png') });
    await panel.getByLabel('Close exchange').click();
    assert.equal(
      await page.locator('.worklist-item').count(),
      before,
      'nothing from the refused package was stored',
    );
  },
);

test(
  'the batch queue analyses every exam in view with progress, pauses, resumes, and skips finished work when run again',
  { timeout: 240_000 },
  async () => {
    await page
      .getByTestId('import-input')
      .setInputFiles([
        samplePath('fundus-exports/Image_01L.jpg'),
        samplePath('fundus-exports/fundus-exports.csv'),
        samplePath('chest-cr-j2k-pydicom.dcm'),
      ]);
    // Photo exports are checked in the import table before they are imported.
    await page
      .getByRole('dialog', { name: 'Fundus photo details' })
      .getByRole('button', { name: 'Import' })
      .click();
    await page.locator('.worklist-item', { hasText: 'chest-cr-j2k-pydicom.dcm' }).waitFor();
    const total = await page.locator('.worklist-item').count();
    const queue = page.locator('.batch-queue');
    await queue.getByRole('button', { name: `Analyse ${total} exam(s)` }).click();
    await queue.getByRole('button', { name: 'Pause' }).click();
    await page.locator('.batch-queue[data-state="paused"]').waitFor();
    const paused = await queue.getByTestId('batch-progress').innerText();
    await page.waitForTimeout(1500);
    assert.equal(
      await queue.getByTestId('batch-progress').innerText(),
      paused,
      'nothing runs while paused',
    );
    await queue.getByRole('button', { name: 'Resume' }).click();
    await page.locator('.batch-queue[data-state="done"]').waitFor({ timeout: 180_000 });
    const first = await queue.getByTestId('batch-progress').innerText();
    const counts = /Done: (\d+) analysed, (\d+) already done of (\d+)/.exec(first);
    assert.ok(counts, first);
    assert.equal(Number(counts[1]) + Number(counts[2]), total);
    assert.ok(Number(counts[2]) >= 1, 'the exam signed earlier is not analysed again');
    console.log(`# batch queue: ${first}`);

    await queue.getByRole('button', { name: `Analyse ${total} exam(s)` }).click();
    await page.locator('.batch-queue[data-state="done"]').waitFor({ timeout: 60_000 });
    assert.match(
      await queue.getByTestId('batch-progress').innerText(),
      new RegExp(`Done: 0 analysed, ${total} already done of ${total}`),
    );
  },
);
