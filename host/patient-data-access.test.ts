/**
 * Nothing about patients leaves the service before sign-in, after sign-out or once the
 * idle lock has fired: every operation the contract does not declare public answers HTTP
 * 401 AUTH_REQUIRED through the browser host, for a real workstation holding real images.
 * The list of operations comes from the contract itself, so a new operation is covered.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { contract, OPERATION_NAMES } from '../core/api/contract.ts';
import { decodeWire, encodeWire } from '../core/api/wire.ts';
import { readFolderFiles } from '../core/library/read-folder.ts';
import { projectRoot } from '../core/testing/shared-data.ts';
import { createWorkstation } from '../core/workstation/create-workstation.ts';
import { WIRE_CONTENT_TYPE } from './http-transport.ts';
import { startBrowserHost } from './server.ts';

test(
  'before sign-in, after sign-out and when locked, every non-public operation answers 401',
  { timeout: 120_000 },
  async () => {
    let now = Date.parse('2026-11-30T08:00:00Z');
    const workstation = await createWorkstation(projectRoot, 'browser', () => {}, {
      dataFolder: mkdtempSync(join(tmpdir(), 'neoscope-access-')),
      clock: () => now,
    });
    const host = await startBrowserHost({ dispatch: workstation.dispatch, mounts: [] });
    const call = (op: string, args: unknown) =>
      new Promise<{
        status: number;
        body: { ok: boolean; value?: unknown; error?: { code: string } };
      }>((resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port: host.port,
            path: `/api/${op}`,
            method: 'POST',
            headers: {
              Authorization: `Bearer ${host.token}`,
              'Content-Type': WIRE_CONTENT_TYPE,
              Origin: host.origin,
            },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () =>
              resolve({
                status: res.statusCode ?? 0,
                body: decodeWire(new Uint8Array(Buffer.concat(chunks))) as never,
              }),
            );
          },
        );
        req.on('error', reject);
        req.end(encodeWire(args));
      });
    const guarded = OPERATION_NAMES.filter((op) => contract[op].access !== 'public');
    const everyGuardedRefused = async (when: string) => {
      for (const op of guarded) {
        const reply = await call(op, {});
        assert.equal(reply.status, 401, `${op} ${when}`);
        assert.equal(reply.body.error?.code, 'AUTH_REQUIRED', `${op} ${when}`);
      }
    };
    try {
      await workstation.library.importFiles(
        await readFolderFiles(join(projectRoot, 'dicom-samples')),
      );
      await everyGuardedRefused('before sign-in');
      assert.equal(
        (
          await call('users.create', {
            username: 'admin',
            displayName: 'Site Admin',
            role: 'admin',
            password: 'admin-pass-1',
          })
        ).status,
        200,
      );
      await everyGuardedRefused('after the first account was made, still signed out');
      assert.equal(
        (await call('auth.login', { username: 'admin', password: 'admin-pass-1' })).status,
        200,
      );
      const listed = await call('library.list', {});
      assert.equal(listed.status, 200);
      assert.ok(
        (listed.body.value as { instances: unknown[] }).instances.length >= 3,
        'signed in, the images are there',
      );
      assert.equal((await call('auth.logout', {})).status, 200);
      await everyGuardedRefused('after sign-out');
      assert.equal(
        (await call('auth.login', { username: 'admin', password: 'admin-pass-1' })).status,
        200,
      );
      now += 16 * 60_000; // past the 15-minute idle lock
      await everyGuardedRefused('when the idle lock has fired');
      const status = await call('auth.status', {});
      assert.equal(
        (status.body.value as { user?: unknown }).user,
        undefined,
        'auth.status says nobody is signed in',
      );
    } finally {
      await host.close();
      workstation.data?.close();
    }
  },
);
