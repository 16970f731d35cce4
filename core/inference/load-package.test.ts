/**
 * Acceptance (issue 5): a corrupt ONNX file, a wrong hash, a schema error and a failing
 * self-test each give their own error on import, and the registry keeps working with the
 * other models; the same id+version is never replaced.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createWasmNodeEngine } from './engine-wasm-node.ts';
import { loadModelPackage } from './load-package.ts';
import type { ModelManifest } from './portable/package-schema.ts';
import { createModelRegistry } from './registry.ts';
import { writeFixturePackage } from './testing/fixture-package.ts';

const engine = createWasmNodeEngine();
const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function codeOf(folder: string): Promise<{ code: string; message: string }> {
  try {
    const loaded = await loadModelPackage(folder, engine);
    await loaded.session.release();
    return { code: 'OK', message: '' };
  } catch (error) {
    return error as { code: string; message: string };
  }
}

test('a good package loads and passes its self-tests', async () => {
  const loaded = await loadModelPackage(writeFixturePackage(), engine);
  assert.equal(loaded.manifest.id, 'test-quadrant');
  assert.equal(loaded.session.backend, 'wasm');
  await loaded.session.release();
});

test('each defect has its own error', async () => {
  const corrupt = await codeOf(
    writeFixturePackage(({ manifest, onnx }) => {
      const broken = onnx.slice(0, Math.floor(onnx.length / 2));
      return { manifest: { ...manifest, sha256: sha(broken) }, onnx: broken }; // hash matches, bytes are not a model
    }),
  );
  assert.equal(corrupt.code, 'MODEL_CORRUPT', corrupt.message);

  const wrongHash = await codeOf(
    writeFixturePackage(({ manifest, onnx }) => ({
      manifest: { ...manifest, sha256: '0'.repeat(64) },
      onnx,
    })),
  );
  assert.equal(wrongHash.code, 'MODEL_HASH_MISMATCH');
  assert.match(wrongHash.message, /the manifest says 000000000000/);

  const schema = await codeOf(
    writeFixturePackage(({ manifest, onnx }) => {
      const { task: _task, ...withoutTask } = manifest;
      return { manifest: withoutTask, onnx };
    }),
  );
  assert.equal(schema.code, 'MODEL_SCHEMA_INVALID');
  assert.match(schema.message, /task/);

  const notJson = await codeOf(writeFixturePackage(({ onnx }) => ({ manifest: '{ "id": ', onnx })));
  assert.equal(notJson.code, 'MODEL_SCHEMA_INVALID');

  const wrongOutput = await codeOf(
    writeFixturePackage(({ manifest, onnx }) => ({
      manifest: { ...manifest, outputs: [{ ...manifest.outputs[0]!, name: 'score' }] },
      onnx,
    })),
  );
  assert.equal(wrongOutput.code, 'MODEL_SCHEMA_INVALID');
  assert.match(wrongOutput.message, /output "score"/);

  const selfTest = await codeOf(
    writeFixturePackage(({ manifest, onnx }) => {
      const broken: ModelManifest = structuredClone(manifest);
      broken.selfTest[1]!.expect[0]!.values = [0.5];
      return { manifest: broken, onnx };
    }),
  );
  assert.equal(selfTest.code, 'MODEL_SELF_TEST_FAILED');
  assert.match(selfTest.message, /self-test 2 \(ramp\): probability\[0\] = .*, expected 0\.5/);
});

test('the registry installs good packages, refuses bad ones with their reason, and keeps working', async () => {
  const root = mkdtempSync(join(tmpdir(), 'neoscope-models-'));
  const registry = createModelRegistry(root, engine);
  const installed = await registry.importPackage(writeFixturePackage());
  assert.equal(installed.folder, join(root, 'test-quadrant', '1.0.0'));
  await installed.session.release();

  await assert.rejects(
    registry.importPackage(
      writeFixturePackage(({ manifest, onnx }) => ({
        manifest: { ...manifest, version: '1.1.0', sha256: '1'.repeat(64) },
        onnx,
      })),
    ),
    { code: 'MODEL_HASH_MISMATCH' },
  );
  await assert.rejects(registry.importPackage(writeFixturePackage()), {
    code: 'MODEL_ALREADY_INSTALLED',
  });

  const newer = await registry.importPackage(
    writeFixturePackage(({ manifest, onnx }) => ({
      manifest: { ...manifest, version: '1.1.0' },
      onnx,
    })),
  );
  await newer.session.release();
  const entries = await registry.list();
  assert.deepEqual(
    entries.map((e) => (e.ok ? `${e.model.manifest.id}@${e.model.manifest.version}` : e.code)),
    ['test-quadrant@1.0.0', 'test-quadrant@1.1.0'],
  );
  for (const e of entries) if (e.ok) await e.model.session.release();
});

test('a package arrives as a zip: installed when good, refused with its code when not', async () => {
  const { zipSync } = await import('fflate');
  const { readFileSync } = await import('node:fs');
  const { installPackageZip } = await import('./registry.ts');
  const folder = writeFixturePackage();
  const zip = (files: Record<string, Uint8Array>) => zipSync(files);
  const good = zip({
    'quadrant/manifest.json': readFileSync(join(folder, 'manifest.json')),
    'quadrant/model.onnx': readFileSync(join(folder, 'model.onnx')),
  });
  const registry = createModelRegistry(mkdtempSync(join(tmpdir(), 'neoscope-zip-models-')), engine);
  const installed = await installPackageZip(registry, 'quadrant.zip', good);
  assert.equal(installed.manifest.id, 'test-quadrant');
  await installed.session.release();
  await assert.rejects(installPackageZip(registry, 'again.zip', good), {
    code: 'MODEL_ALREADY_INSTALLED',
  });
  await assert.rejects(
    installPackageZip(registry, 'empty.zip', zip({ 'readme.txt': new Uint8Array([1]) })),
    { code: 'MODEL_PACKAGE_UNREADABLE' },
  );
  await assert.rejects(
    installPackageZip(registry, 'model.onnx', readFileSync(join(folder, 'model.onnx'))),
    { code: 'MODEL_PACKAGE_UNREADABLE' },
  );
});
