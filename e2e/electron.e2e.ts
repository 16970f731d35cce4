/**
 * The same workstation in Electron itself, when its binary exists here. On build machines
 * that cannot download it, this test is reported as skipped with the reason.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { _electron } from 'playwright-core';
import { projectRoot } from '../core/testing/shared-data.ts';
import { displayAvailable, findElectronBinary } from '../scripts/electron-binary.ts';

const binary = findElectronBinary(projectRoot);
const skip = !binary.ok ? `Electron binary unavailable: ${binary.reason}` : !displayAvailable() ? 'no display for an Electron window' : false;

test('Electron opens the workstation with the bundled samples listed and drawn', { skip }, async () => {
  if (!binary.ok) return;
  const app = await _electron.launch({ executablePath: binary.path, args: [projectRoot] });
  try {
    const page = await app.firstWindow();
    assert.equal(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require), 'undefined', 'no Node in the page');
    assert.equal(await page.evaluate(() => globalThis.crossOriginIsolated), true);
    await page.locator('.worklist-item').first().click();
    await page.locator('[data-testid="viewport"][data-rendered-image]').waitFor();
  } finally {
    await app.close();
  }
});
