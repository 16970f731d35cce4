/**
 * A morning ROP round in the real renderer, as a site would run it: the admin creates an
 * ophthalmologist and a radiologist in the Accounts dialog; the ophthalmologist imports the
 * round's fundus photos (three infants, both eyes each, with the camera's sidecar CSV), grades
 * each visit's OD and OS side by side ("same as other eye" for one), sees the ETROP category
 * computed for the infant with Type 1 ROP, and signs the three visit reports with "Sign and
 * next". Each PDF (read back with pdftotext) names OD and OS, GA, PMA and the next exam. At
 * 1280×800 and 1920×1080 no control is off screen or overlaps another (e2e/layout-fit.ts);
 * the screenshots go to e2e/artifacts. The test prints the wall time of the round.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { samplePath, sharedDataPath } from '../core/testing/shared-data.ts';
import type { Workstation } from '../core/workstation/create-workstation.ts';
import { artifacts, E2E_ADMIN, openWorkstation, type Harness, signInThroughUi } from './harness.ts';
import { layoutProblems } from './layout-fit.ts';

let harness: Harness;
let page: Page;
let workstation: Workstation;

/** The round: three infants (ids, birth data and exam date assigned here), two photos each. */
const EXAM_DATE = '2026-11-23';
const INFANTS = [
  { id: 'ROP-A', name: 'Alpha^Baby', born: '2026-09-28', gaWeeks: 27, photos: '02' },
  { id: 'ROP-B', name: 'Bravo^Baby', born: '2026-09-14', gaWeeks: 25, photos: '03' },
  { id: 'ROP-C', name: 'Charlie^Baby', born: '2026-10-05', gaWeeks: 29, photos: '04' },
];
/** Infant B has Type 1 ROP in the right eye (zone II, stage 3, plus). */
const TYPE_1 = 'ROP-B';
const OPH = {
  username: 'oph',
  name: 'Olga Ophth',
  role: 'ophthalmologist',
  password: 'fundus-2026!',
};
const RAD = { username: 'rad', name: 'Rui Radiol', role: 'radiologist', password: 'chest-2026!!' };

function roundFolder(): string[] {
  const folder = mkdtempSync(join(tmpdir(), 'neoscope-round-'));
  const rows = ['file,patient_id,patient_name,birth_date,exam_date,eye,ga_weeks,site'];
  const files: string[] = [];
  for (const infant of INFANTS)
    for (const [side, eye] of [
      ['R', 'OD'],
      ['L', 'OS'],
    ] as const) {
      const name = `${infant.id}_${eye}.jpg`;
      copyFileSync(
        sharedDataPath('retina', 'CHASE_DB1', 'images', `Image_${infant.photos}${side}.jpg`),
        join(folder, name),
      );
      rows.push(
        `${name},${infant.id},${infant.name},${infant.born},${EXAM_DATE},${eye},${infant.gaWeeks},NICU round`,
      );
      files.push(join(folder, name));
    }
  writeFileSync(join(folder, 'round.csv'), `${rows.join('\n')}\n`);
  return [...files, join(folder, 'round.csv')];
}

before(async () => {
  harness = await openWorkstation('morning-round', {
    viewport: { width: 1280, height: 800 },
    signedOut: true,
    beforeServe: async (w) => {
      workstation = w;
      const created = await w.dispatch('users.create', E2E_ADMIN);
      if (!created.ok) throw new Error(created.error.message);
    },
  });
  ({ page } = harness);
});

after(async () => {
  await harness?.close();
});

const signIn = (username: string, password: string) => signInThroughUi(page, username, password);

async function assertFits(where: string) {
  // Information messages fade after a few seconds; errors would stay and count.
  await page
    .locator('.message-info')
    .first()
    .waitFor({ state: 'detached', timeout: 15_000 })
    .catch(() => undefined);
  const problems = await layoutProblems(page);
  assert.deepEqual(problems, [], `${where}: ${JSON.stringify(problems, null, 1)}`);
}

test(
  'morning round: two readers created, three infants read both eyes and signed with "Sign and next"; PDFs name OD, OS, GA, PMA and the next exam; nothing clipped',
  { timeout: 420_000 },
  async () => {
    const started = Date.now();
    await signIn(E2E_ADMIN.username, E2E_ADMIN.password);
    await page.getByTestId('account').getByText('Site Admin · admin').waitFor();

    // The admin creates the two readers in the Accounts dialog.
    await page.getByRole('button', { name: 'Accounts', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Accounts' });
    const create = dialog.getByRole('form', { name: 'New account' });
    for (const reader of [OPH, RAD]) {
      await create.getByLabel('User name').fill(reader.username);
      await create.getByLabel('Full name').fill(reader.name);
      await create.getByLabel('Role').selectOption(reader.role);
      await create.getByLabel('Password', { exact: true }).fill(reader.password);
      await create.getByLabel('Confirm password').fill(reader.password);
      await create.getByRole('button', { name: 'Create account' }).click();
      await dialog
        .getByRole('status')
        .getByText(`Created ${reader.username} (${reader.name}, ${reader.role}).`)
        .waitFor();
    }
    await assertFits('Accounts dialog at 1280×800');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Sign out' }).click();

    // The ophthalmologist imports the round.
    await signIn(OPH.username, OPH.password);
    await page.getByTestId('account').getByText(`${OPH.name} · ophthalmologist`).waitFor();
    await page.getByTestId('import-input').setInputFiles(roundFolder());
    // The photo import table: every photo's patient, eye and date come from the sidecar.
    const table = page.getByRole('dialog', { name: 'Fundus photo details' });
    await table.waitFor();
    await assertFits('photo import table at 1280×800');
    await table.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByText('Imported 6 image(s)').first().waitFor({ timeout: 60_000 });
    const infants = page.locator('.worklist-infant');
    await infants.nth(2).waitFor();
    assert.equal(await infants.count(), 3, 'one group per infant');
    assert.equal(await page.locator('.worklist-exam').count(), 3, 'one exam per visit (both eyes)');
    // GA 25–29 weeks, seen first at 31 weeks PMA / 4 weeks of age: every first exam is past due.
    assert.equal(await page.getByTestId('next-due').count(), 3);

    await page.locator('.worklist-item').first().click();
    await page.getByRole('tab', { name: 'Report' }).click();
    const signedReports: { reportId: string; patientId: string }[] = [];
    for (let n = 0; n < INFANTS.length; n++) {
      const panel = page.locator('.review-panel[data-status="open"]');
      await panel.waitFor();
      const patientId = (await panel.getAttribute('data-patient-id'))!;
      const reportId = (await panel.getAttribute('data-report-id'))!;
      assert.ok(!signedReports.some((r) => r.patientId === patientId), `${patientId} once only`);
      // One change at a time, each saved before the next (the panel shows "saving …" meanwhile).
      const choose = async (label: string, value: string) => {
        await panel.getByLabel(label, { exact: true }).selectOption(value);
        await panel.locator('.review-actions .hint').waitFor({ state: 'detached' });
      };
      await choose('OD Zone', 'II');
      if (patientId === TYPE_1) {
        await choose('OD Stage (most severe)', '3');
        await choose('OD Plus disease', 'plus');
        await choose('OS Zone', 'II');
        await choose('OS Stage (most severe)', '2');
        await choose('OS Plus disease', 'pre-plus');
        await panel
          .getByLabel('Assessment')
          .getByText('OD: ETROP type 1 — treatment warranted')
          .waitFor();
        await panel
          .getByText('Zone II, stage 2 or 3 ROP with plus disease', { exact: true })
          .waitFor();
        if (n === 0) await assertFits('report of the Type 1 infant at 1280×800');
        await page.screenshot({ path: join(artifacts, 'morning-round-type1-1280x800.png') });
      } else {
        await choose('OD Stage (most severe)', '1');
        await choose('OD Plus disease', 'none');
        // Same as the other eye: the OS section takes the OD entries.
        await panel.getByRole('button', { name: '= OD' }).click();
        await panel.locator('.review-actions .hint').waitFor({ state: 'detached' });
        await panel
          .getByTestId('assessment-summary')
          .getByText('OD zone II stage 1; OS zone II stage 1; next exam in 2 weeks')
          .waitFor();
        assert.equal(
          await panel.getByLabel('OS Stage (most severe)', { exact: true }).inputValue(),
          '1',
        );
      }
      if (n === 0) {
        await assertFits(`first report at 1280×800`);
        await page.screenshot({ path: join(artifacts, 'morning-round-1280x800.png') });
      }
      await panel.getByLabel('Password to sign').fill(OPH.password);
      await panel.getByRole('button', { name: 'Sign and next' }).click();
      signedReports.push({ reportId, patientId });
      if (n < INFANTS.length - 1)
        await page
          .locator(`.review-panel[data-status="open"]:not([data-report-id="${reportId}"])`)
          .waitFor({ timeout: 60_000 });
    }
    await page.getByText('No other retina exam is waiting to be read.').waitFor();
    // The worklist says so at once.
    await page.locator('.worklist-exam[data-status="signed"]').nth(2).waitFor();
    const seconds = (Date.now() - started) / 1000;
    console.log(
      `morning round: 2 accounts, 3 infants, 6 photos, 3 visit reports signed in ${seconds.toFixed(1)} s`,
    );

    for (const { reportId, patientId } of signedReports) {
      const pdf = await workstation.dispatch('report.pdf', { reportId, version: 1 });
      if (!pdf.ok) throw new Error(pdf.error.message);
      const folder = mkdtempSync(join(tmpdir(), 'neoscope-round-pdf-'));
      writeFileSync(join(folder, 'r.pdf'), (pdf.value as { bytes: Uint8Array }).bytes);
      const text = spawnSync('pdftotext', ['-layout', join(folder, 'r.pdf'), '-'], {
        encoding: 'utf8',
      }).stdout;
      const infant = INFANTS.find((i) => i.id === patientId)!;
      for (const expected of [
        'OD (right eye)',
        'OS (left eye)',
        `GA at birth ${infant.gaWeeks}+0 weeks`,
        'PMA at exam',
        `Exam: ${EXAM_DATE}`,
        'Next exam:',
      ])
        assert.ok(text.includes(expected), `${patientId} PDF lacks "${expected}":\n${text}`);
      if (patientId === TYPE_1) {
        assert.match(text, /Type 1 ROP - treatment warranted/);
        assert.match(text, /Next exam: treatment within 72 hours/);
      } else assert.match(text, /Next exam: 2 weeks, due by 2026-12-07/);
    }

    // The same screen at 1920×1080.
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.locator('.worklist-item').first().click();
    await page.locator('.review-panel').waitFor();
    await assertFits('signed report at 1920×1080');
    await page.screenshot({ path: join(artifacts, 'morning-round-1920x1080.png') });

    // A defect the importer found stays on the image, not only in a worklist tooltip.
    await page
      .getByTestId('import-input')
      .setInputFiles(samplePath('retina-op-heidelberg-dcmjs.dcm'));
    const flawed = page.locator('.worklist-item', { hasText: 'retina-op-heidelberg-dcmjs.dcm' });
    await flawed.click();
    const badge = (await flawed.locator('.warning-badge').getAttribute('title'))!;
    const shownWarning = page.getByTestId('viewport-od-warning').first();
    await shownWarning.waitFor();
    assert.ok(
      badge.includes((await shownWarning.innerText()).replace(/^⚠\s*/, '')),
      `overlay "${await shownWarning.innerText()}" vs worklist "${badge}"`,
    );
    await assertFits('an image with an import warning at 1920×1080');

    // The fit check is real: a control placed over another is reported.
    await page.evaluate(() => {
      const sign = document.querySelector('.review-panel button')!.getBoundingClientRect();
      const b = document.createElement('button');
      b.textContent = 'overlapping';
      b.style.cssText = `position:fixed;left:${sign.left}px;top:${sign.top}px;width:${sign.width}px;height:${sign.height}px`;
      document.body.append(b);
    });
    const planted = await layoutProblems(page);
    assert.ok(
      planted.some((p) => p.control.includes('overlapping') || p.problem.includes('overlapping')),
      JSON.stringify(planted),
    );
  },
);
