/**
 * Installing a model changes what every later analysis says: through the API it needs a
 * signed-in admin, and the audit log records who installed which package with its hashes.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { zipSync } from 'fflate';
import { readAuditEntries } from '../audit/audit-log.ts';
import { writeFixturePackage } from '../inference/testing/fixture-package.ts';
import { projectRoot } from '../testing/shared-data.ts';
import { createWorkstation } from './create-workstation.ts';
import { apiCalls } from './testing/api-calls.ts';

test(
  'models.import: refused unsigned and to readers, installed by an admin and audited with the package hash',
  { timeout: 120_000 },
  async () => {
    const dataFolder = mkdtempSync(join(tmpdir(), 'neoscope-install-'));
    const modelsFolder = mkdtempSync(join(tmpdir(), 'neoscope-models-'));
    const workstation = await createWorkstation(projectRoot, 'browser', () => {}, {
      dataFolder,
      modelsFolder,
    });
    const { call, fails } = apiCalls(workstation);
    try {
      const folder = writeFixturePackage();
      const zip = zipSync({
        'manifest.json': readFileSync(join(folder, 'manifest.json')),
        'model.onnx': readFileSync(join(folder, 'model.onnx')),
      });
      const request = { name: 'rogue-model.zip', bytes: zip };
      await fails('models.import', request, 'AUTH_REQUIRED');
      await call('users.create', {
        username: 'admin',
        displayName: 'Site Admin',
        role: 'admin',
        password: 'admin-pass-1',
      });
      await call('auth.login', { username: 'admin', password: 'admin-pass-1' });
      await call('users.create', {
        username: 'rad',
        displayName: 'Rae Diologist',
        role: 'radiologist',
        password: 'chest-films-2026',
      });
      await call('auth.logout', {});
      await call('auth.login', { username: 'rad', password: 'chest-films-2026' });
      await fails('models.import', request, 'AUTH_FORBIDDEN');
      await call('auth.logout', {});
      await call('auth.login', { username: 'admin', password: 'admin-pass-1' });
      const installed = (await call('models.import', request)) as { id: string; version: string };
      const entries = await readAuditEntries(join(dataFolder, 'audit.log'));
      const install = entries.filter((e) => e.action === 'model-install');
      assert.equal(install.length, 1, 'one install entry, none for the refused attempts');
      assert.equal(install[0]!.actor, 'admin');
      assert.equal(install[0]!.subject, `${installed.id}@${installed.version}`);
      assert.match(String(install[0]!.details?.modelSha256), /^[0-9a-f]{64}$/);
      assert.match(String(install[0]!.details?.packageSha256), /^[0-9a-f]{64}$/);
    } finally {
      workstation.data?.close();
    }
  },
);
