/**
 * Every package shipped in models/ passes the loader in Node (schema, SHA-256, ONNX load,
 * self-test vectors reproduced by onnxruntime-web within tolerance) and states its
 * numbers; the e2e suite runs the same self-tests in Chromium.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createWasmNodeEngine } from './engine-wasm-node.ts';
import { createModelRegistry } from './registry.ts';
import { projectRoot } from '../testing/shared-data.ts';
import { join } from 'node:path';
import { existsSync, readFileSync } from 'node:fs';

test(
  'shipped packages verify in Node and carry a card with held-out metrics',
  { timeout: 120_000 },
  async () => {
    const entries = await createModelRegistry(
      join(projectRoot, 'models'),
      createWasmNodeEngine(),
    ).list();
    assert.ok(entries.length >= 1, 'at least one package ships');
    for (const entry of entries) {
      assert.ok(entry.ok, entry.ok ? '' : `${entry.folder}: ${entry.code}: ${entry.message}`);
      const { manifest, folder, session } = entry.model;
      assert.ok(manifest.metrics.length > 0, `${manifest.id} states metrics`);
      assert.ok(
        manifest.metrics.every((m) => /held out|test/i.test(m.split)),
        'metrics are from data the model never saw',
      );
      assert.ok(existsSync(join(folder, 'CARD.md')), `${manifest.id} has a card`);
      assert.match(readFileSync(join(folder, 'CARD.md'), 'utf8'), /minutes on \d+ CPU cores/);
      await session.release();
    }
  },
);
