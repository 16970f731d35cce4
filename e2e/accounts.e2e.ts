/**
 * A screening day's accounts in the real renderer: the admin opens Accounts, creates an
 * ophthalmologist and a radiologist, resets one password and disables the radiologist;
 * the ophthalmologist then signs in through the header and sees the worklist, and the
 * disabled radiologist is refused with the service's message. The panel is checked for
 * clipping at 1280×800 and photographed (e2e/artifacts/accounts-panel.png).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { readFolderFiles } from '../core/library/read-folder.ts';
import { projectRoot } from '../core/testing/shared-data.ts';
import { artifacts, openWorkstation, type Harness, signInThroughUi } from './harness.ts';

let harness: Harness;
let page: Page;

before(async () => {
  harness = await openWorkstation('accounts', {
    viewport: { width: 1280, height: 800 },
    // The day's fundus photographs are already in the library.
    beforeServe: async (w) =>
      void (await w.library.importFiles(
        await readFolderFiles(join(projectRoot, 'dicom-samples', 'fundus-exports')),
      )),
  });
  ({ page } = harness);
});

after(async () => {
  await harness?.close();
});

const signIn = (username: string, password: string) => signInThroughUi(page, username, password);

test(
  'the admin creates, resets and disables accounts; the new reader signs in, the disabled one is refused',
  { timeout: 180_000 },
  async () => {
    await page.getByTestId('account').getByText('Site Admin · admin').waitFor();
    const accountsButton = page.getByRole('button', { name: 'Accounts', exact: true });
    await accountsButton.click();
    const dialog = page.getByRole('dialog', { name: 'Accounts' });
    await dialog.waitFor();
    const rows = dialog.getByRole('table', { name: 'Local accounts' }).locator('tbody tr');
    await rows.first().waitFor();
    assert.deepEqual(await rows.locator('td:first-child').allInnerTexts(), ['admin (you)']);

    const create = dialog.getByRole('form', { name: 'New account' });
    const fillCreate = async (
      username: string,
      name: string,
      role: string,
      password: string,
      confirm = password,
    ) => {
      await create.getByLabel('User name').fill(username);
      await create.getByLabel('Full name').fill(name);
      await create.getByLabel('Role').selectOption(role);
      await create.getByLabel('Password', { exact: true }).fill(password);
      await create.getByLabel('Confirm password').fill(confirm);
      await create.getByRole('button', { name: 'Create account' }).click();
    };
    // Mistakes are shown in the panel: a typo in the confirmation, then the service's own rule.
    await fillCreate('ada', 'Ada Reader', 'ophthalmologist', 'retina-2026!', 'retina-2026?');
    await dialog.getByRole('alert').getByText('The two passwords differ.').waitFor();
    await fillCreate('ada', 'Ada Reader', 'ophthalmologist', 'short');
    await dialog.getByRole('alert').getByText('a password needs at least 10 characters').waitFor();
    await fillCreate('ada', 'Ada Reader', 'ophthalmologist', 'retina-2026!');
    await dialog
      .getByRole('status')
      .getByText('Created ada (Ada Reader, ophthalmologist).')
      .waitFor();
    assert.equal(
      await create.getByLabel('User name').inputValue(),
      '',
      'the form is cleared after a creation',
    );
    await fillCreate('rad', 'Rad Reader', 'radiologist', 'chest-2026!');
    await dialog.getByRole('status').getByText('Created rad (Rad Reader, radiologist).').waitFor();
    await fillCreate('ada', 'Another Ada', 'radiologist', 'retina-2026!');
    await dialog.getByRole('alert').getByText('user ada already exists').waitFor();

    // Reset Ada's password (she forgot hers), then disable the radiologist.
    await dialog.getByRole('button', { name: 'Reset password of ada…' }).click();
    const reset = dialog.getByRole('form', { name: 'New password for ada' });
    await reset.getByLabel('New password', { exact: true }).fill('fundus-2027!');
    await reset.getByLabel('Confirm new password').fill('fundus-2027!');
    await reset.getByRole('button', { name: 'Set password' }).click();
    await dialog
      .getByRole('status')
      .getByText('Password of ada reset; failed attempts and any lock cleared.')
      .waitFor();
    assert.equal(await reset.count(), 0, 'the reset form closes once done');
    await dialog.getByRole('button', { name: 'Disable rad' }).click();
    await dialog.getByRole('status').getByText('rad disabled: it can no longer sign in.').waitFor();
    const radRow = rows.filter({ has: page.locator('td', { hasText: /^rad$/ }) });
    assert.equal(await radRow.locator('.account-status').innerText(), 'DISABLED');
    await dialog.getByRole('button', { name: 'Enable rad' }).waitFor();
    assert.deepEqual(await rows.locator('td:nth-child(3)').allInnerTexts(), [
      'ophthalmologist',
      'admin',
      'radiologist',
    ]);
    assert.equal(
      await dialog.getByRole('button', { name: 'Disable admin' }).count(),
      0,
      'nobody is offered to disable themselves',
    );

    // Esc leaves a password reset first (focus back on its row's button), then the dialog
    // (focus back on the header button); Enter opens it again and Tab stays inside it.
    await dialog.getByRole('button', { name: 'Reset password of rad…' }).click();
    const resetRad = dialog.getByRole('form', { name: 'New password for rad' });
    await resetRad.getByLabel('New password', { exact: true }).waitFor();
    assert.equal(
      await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name),
      'password',
      'the new password field has the focus',
    );

    // At 1280×800 the dialog, at its tallest (a reset open), fits: inside the window, nothing cut off or scrolled sideways.
    const fit = await dialog.evaluate((card) => {
      const box = card.getBoundingClientRect();
      const overflowing = Array.from(card.querySelectorAll<HTMLElement>('*'))
        .filter(
          (el) =>
            !el.classList.contains('visually-hidden') &&
            el.scrollWidth > el.clientWidth + 1 &&
            getComputedStyle(el).overflowX !== 'visible',
        )
        .map((el) => el.className || el.tagName);
      return {
        box: { top: box.top, left: box.left, bottom: box.bottom, right: box.right },
        scrolls: card.scrollHeight > card.clientHeight + 1,
        overflowing,
        width: window.innerWidth,
        height: window.innerHeight,
      };
    });
    assert.ok(
      fit.box.top >= 0 &&
        fit.box.left >= 0 &&
        fit.box.bottom <= fit.height &&
        fit.box.right <= fit.width,
      JSON.stringify(fit),
    );
    assert.equal(fit.scrolls, false, 'the whole panel is visible without scrolling');
    assert.deepEqual(fit.overflowing, [], 'nothing is clipped sideways');
    await page.screenshot({ path: join(artifacts, 'accounts-panel.png') });

    await page.keyboard.press('Escape');
    await resetRad.waitFor({ state: 'detached' });
    assert.equal(
      await dialog.count(),
      1,
      'the first Esc leaves the password reset, not the dialog',
    );
    assert.equal(
      await page.evaluate(() => document.activeElement?.getAttribute('aria-label')),
      'Reset password of rad…',
    );
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Accounts');
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    for (let i = 0; i < 25; i++) {
      await page.keyboard.press('Tab');
      assert.ok(
        await dialog.evaluate((card) => card.contains(document.activeElement)),
        `Tab ${i + 1} stays in the dialog`,
      );
    }
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });

    // The admin leaves; the ophthalmologist signs in with the new password and sees her worklist.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByTestId('signed-out').waitFor();
    await signIn('ada', 'retina-2026!');
    await page
      .locator('form.sign-in')
      .getByRole('alert')
      .getByText('user name or password is wrong')
      .waitFor();
    await page.locator('form.sign-in').getByRole('button', { name: 'Cancel' }).click();
    await signIn('ada', 'fundus-2027!');
    await page.getByTestId('account').getByText('Ada Reader · ophthalmologist').waitFor();
    await page.locator('.worklist-item', { hasText: 'Image_01R.jpg' }).waitFor();
    assert.equal(
      await page.getByRole('button', { name: 'Accounts', exact: true }).count(),
      0,
      'Accounts is for admins only',
    );

    // The disabled radiologist is refused with the reason.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByTestId('signed-out').waitFor();
    await signIn('rad', 'chest-2026!');
    await page
      .locator('form.sign-in')
      .getByRole('alert')
      .getByText('account rad is disabled; an admin can enable it again')
      .waitFor();
    assert.equal(await page.getByTestId('account').count(), 0, 'nobody is signed in');
  },
);
