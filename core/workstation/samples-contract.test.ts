/**
 * Every bundled sample imports and its first frame passes through the API contract
 * unchanged (a codec once returned a Uint8ClampedArray, which the contract rejects).
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readFolderFiles } from '../library/read-folder.ts';
import { projectRoot } from '../testing/shared-data.ts';
import { createWorkstation } from './create-workstation.ts';

test('each bundled sample imports and its first frame is a valid API result', async () => {
  const workstation = await createWorkstation(projectRoot, 'browser', () => {}, {
    dataFolder: mkdtempSync(join(tmpdir(), 'neoscope-samples-')),
  });
  // Frames are patient data: a signed-in user fetches them.
  await workstation.dispatch('users.create', {
    username: 'admin',
    displayName: 'Site Admin',
    role: 'admin',
    password: 'admin-pass-1',
  });
  assert.equal(
    (await workstation.dispatch('auth.login', { username: 'admin', password: 'admin-pass-1' })).ok,
    true,
  );
  const report = await workstation.library.importFiles(
    await readFolderFiles(workstation.samplesFolder),
  );
  assert.deepEqual(report.failed, []);
  assert.ok(report.imported.length >= 5, `${report.imported.length} samples`);
  for (const instance of report.imported) {
    const response = await workstation.dispatch('image.frame', {
      instanceId: instance.instanceId,
      frame: 0,
    });
    assert.equal(
      response.ok,
      true,
      `${instance.fileName}: ${JSON.stringify(!response.ok && response.error)}`,
    );
  }
  assert.deepEqual(report.imported.map((i) => i.domain).sort(), [
    'chest',
    'chest',
    'retina',
    'retina',
    'retina',
  ]);
  workstation.data?.close();
});
