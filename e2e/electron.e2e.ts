/**
 * The same workstation in Electron itself, when its binary exists here. On build machines
 * that cannot download it, this test is reported as skipped with the reason.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { _electron } from 'playwright-core';
import { projectRoot } from '../core/testing/shared-data.ts';
import { displayAvailable, findElectronBinary } from '../scripts/electron-binary.ts';
import { SERVICE_NAME } from '../electron/service-protocol.ts';

const binary = findElectronBinary(projectRoot);
const skip = !binary.ok
  ? `Electron binary unavailable: ${binary.reason}`
  : !displayAvailable()
    ? 'no display for an Electron window'
    : false;

test(
  'Electron opens the workstation with the bundled samples listed and drawn',
  { skip },
  async () => {
    if (!binary.ok) return;
    // A fresh profile: the first run asks for the admin account before any patient data shows.
    const app = await _electron.launch({
      executablePath: binary.path,
      args: [projectRoot, `--user-data-dir=${mkdtempSync(join(tmpdir(), 'neoscope-electron-'))}`],
    });
    try {
      const page = await app.firstWindow();
      await page.getByTestId('signed-out').waitFor();
      await page.getByRole('button', { name: 'Create admin account…' }).click();
      await page.getByLabel('User name').fill('admin');
      await page.getByLabel('Full name').fill('Site Admin');
      await page.getByLabel('Password', { exact: true }).fill('admin-pass-1');
      await page.locator('form.sign-in button[type=submit]').click();
      assert.equal(
        await page.evaluate(() => typeof (globalThis as { require?: unknown }).require),
        'undefined',
        'no Node in the page',
      );
      assert.equal(await page.evaluate(() => globalThis.crossOriginIsolated), true);
      await page.locator('.worklist-item').first().click();
      await page.locator('[data-testid="viewport"][data-rendered-image]').waitFor();
      // Imported files were parsed in the workstation service, a utility process of its own.
      const processes = await app.evaluate(({ app: electronApp }) =>
        electronApp
          .getAppMetrics()
          .map((p) => ({ type: p.type, name: p.name, serviceName: p.serviceName, pid: p.pid })),
      );
      const service = processes.find(
        (p) => p.type === 'Utility' && (p.name === SERVICE_NAME || p.serviceName === SERVICE_NAME),
      );
      assert.ok(service, `no ${SERVICE_NAME} among ${JSON.stringify(processes)}`);
      assert.notEqual(
        service.pid,
        await app.evaluate(() => process.pid),
        'the service is not the main process',
      );
    } finally {
      await app.close();
    }
  },
);
