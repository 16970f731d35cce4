/**
 * The engine check at install and the activation rules: the largest difference between
 * engines against the manifest's tolerance or the default, one engine compared with nothing,
 * NaN never "agreeing"; a new model active at once, a new version a candidate, the choice
 * written down, and a version whose engines disagreed never activated. Then the check on the
 * shipped packages with the engines this process has.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { projectRoot } from '../testing/shared-data.ts';
import {
  availableEngines,
  checkEngineAgreement,
  DEFAULT_ENGINE_TOLERANCE,
  type EngineCheck,
} from './engine-agreement.ts';
import type { LoadedModel } from './load-package.ts';
import {
  activateVersion,
  activationStates,
  compareVersions,
  readActivation,
  settleAfterInstall,
  writeEngineCheck,
} from './model-activation.ts';
import { parseManifest } from './load-package.ts';
import type { InferenceEngine } from './portable/engine.ts';
import type { RegistryEntry } from './registry.ts';
import { fixtureManifest } from './testing/fixture-package.ts';

/** An engine whose every output value is `value`. */
function constantEngine(backend: 'wasm' | 'node', value: number): InferenceEngine {
  return {
    backend,
    async createSession() {
      return {
        backend,
        inputNames: ['image'],
        outputNames: ['probability'],
        async run() {
          return { probability: { dims: [1, 1], data: Float32Array.of(value) } };
        },
        async release() {},
      };
    },
  };
}

const manifest = fixtureManifest('0'.repeat(64), 8, -1);
const onnx = new Uint8Array(4);

test('the engines differ by their largest output difference; beyond tolerance the check fails', async () => {
  const at = () => new Date('2026-03-01T00:00:00Z');
  const close = await checkEngineAgreement(
    manifest,
    onnx,
    { engines: [constantEngine('wasm', 0.5), constantEngine('node', 0.5004)], notes: [] },
    at,
  );
  assert.equal(close.engines.join(), 'wasm,node');
  assert.ok(Math.abs(close.maxAbsDifference! - 0.0004) < 1e-6);
  assert.equal(close.tolerance, DEFAULT_ENGINE_TOLERANCE);
  assert.equal(close.passed, true);
  assert.equal(close.inputs, 4, 'the three self-test inputs and one more generator');

  const far = await checkEngineAgreement(manifest, onnx, {
    engines: [constantEngine('wasm', 0.5), constantEngine('node', 0.52)],
    notes: [],
  });
  assert.equal(far.passed, false);
  const lenient = await checkEngineAgreement({ ...manifest, engineTolerance: 0.05 }, onnx, {
    engines: [constantEngine('wasm', 0.5), constantEngine('node', 0.52)],
    notes: [],
  });
  assert.deepEqual(
    [lenient.passed, lenient.toleranceSource, lenient.tolerance],
    [true, 'manifest', 0.05],
  );

  const alone = await checkEngineAgreement(manifest, onnx, {
    engines: [constantEngine('wasm', 0.5)],
    notes: ['onnxruntime-node not compared: not installed'],
  });
  assert.deepEqual([alone.maxAbsDifference, alone.passed], [null, true]);
  assert.match(alone.notes.join(' '), /one engine only/);

  const nan = await checkEngineAgreement(manifest, onnx, {
    engines: [constantEngine('wasm', 0.5), constantEngine('node', Number.NaN)],
    notes: [],
  });
  assert.equal(nan.passed, false, 'NaN on one engine is never agreement');
});

test('semantic version order', () => {
  assert.ok(compareVersions('0.10.0', '0.9.1') > 0);
  assert.ok(compareVersions('1.0.0-rc.1', '1.0.0') < 0);
  assert.equal(compareVersions('1.2.3', '1.2.3'), 0);
});

/** A registry entry for a package folder (nothing runs: the states read files only). */
function entry(root: string, id: string, version: string): RegistryEntry {
  const folder = join(root, id, version);
  mkdirSync(folder, { recursive: true });
  return {
    ok: true,
    model: { manifest: { ...manifest, id, version }, folder } as unknown as LoadedModel,
  };
}
const check = (passed: boolean): EngineCheck => ({
  engines: ['wasm', 'node'],
  inputs: 3,
  maxAbsDifference: passed ? 1e-7 : 0.2,
  tolerance: DEFAULT_ENGINE_TOLERANCE,
  toleranceSource: 'default',
  passed,
  checkedAt: '2026-03-01T00:00:00.000Z',
  notes: [],
});

test('a new version waits as a candidate; the choice is written; disagreeing engines are never activated', async () => {
  const root = mkdtempSync(join(tmpdir(), 'neoscope-activation-'));
  const v1 = entry(root, 'pda-site', '1.0.0');
  const bundled = entry(root, 'other', '0.1.0');
  const stateOf = async (entries: RegistryEntry[]) =>
    (await activationStates(root, entries)).map(
      (s) => `${s.model.manifest.id} ${s.model.manifest.version} ${s.state}`,
    );
  // Without any recorded choice (the bundled packages) the highest version is active.
  assert.deepEqual(await stateOf([v1, bundled]), ['pda-site 1.0.0 active', 'other 0.1.0 active']);

  const v2 = entry(root, 'pda-site', '2.0.0');
  await writeEngineCheck(join(root, 'pda-site', '2.0.0'), check(true));
  assert.equal(
    await settleAfterInstall(
      root,
      [v1, bundled],
      { id: 'pda-site', version: '2.0.0', engineCheck: check(true) },
      'admin',
    ),
    'candidate',
  );
  assert.equal(
    (await readActivation(root)).active['pda-site']!.version,
    '1.0.0',
    'the active version is pinned',
  );
  assert.deepEqual(await stateOf([v1, v2, bundled]), [
    'pda-site 1.0.0 active',
    'pda-site 2.0.0 candidate',
    'other 0.1.0 active',
  ]);

  const v3 = entry(root, 'pda-site', '3.0.0');
  await writeEngineCheck(join(root, 'pda-site', '3.0.0'), check(false));
  await assert.rejects(activateVersion(root, [v1, v2, v3], 'pda-site', '3.0.0', 'admin'), {
    code: 'MODEL_ENGINES_DISAGREE',
  });
  await assert.rejects(activateVersion(root, [v1, v2, v3], 'pda-site', '9.0.0', 'admin'), {
    code: 'MODEL_NOT_INSTALLED',
  });
  const chosen = await activateVersion(root, [v1, v2, v3], 'pda-site', '2.0.0', 'admin');
  assert.equal(chosen.previous, '1.0.0');
  assert.deepEqual(await stateOf([v1, v2, v3]), [
    'pda-site 1.0.0 previous',
    'pda-site 2.0.0 active',
    'pda-site 3.0.0 candidate',
  ]);

  // A brand-new model whose engines disagree is installed but not active.
  const fresh = entry(root, 'fresh', '1.0.0');
  await writeEngineCheck(join(root, 'fresh', '1.0.0'), check(false));
  assert.equal(
    await settleAfterInstall(
      root,
      [v1, v2, v3],
      { id: 'fresh', version: '1.0.0', engineCheck: check(false) },
      'admin',
    ),
    'candidate',
  );
  assert.deepEqual(await stateOf([fresh]), ['fresh 1.0.0 candidate']);
});

test(
  'the shipped packages agree across the engines this process has',
  { timeout: 300_000 },
  async (t) => {
    const available = await availableEngines();
    for (const id of ['chest-lungs', 'chest-pneumonia', 'retina-vessels']) {
      const folder = join(projectRoot, 'models', id);
      const shipped = parseManifest(readFileSync(join(folder, 'manifest.json'), 'utf8'), folder);
      const result = await checkEngineAgreement(
        shipped,
        new Uint8Array(readFileSync(join(folder, 'model.onnx'))),
        available,
      );
      t.diagnostic(
        `${id} ${shipped.version}: engines ${result.engines.join(' + ')}, max |difference| ${result.maxAbsDifference} over ${result.inputs} inputs (tolerance ${result.tolerance})`,
      );
      assert.equal(result.passed, true, `${id}: ${JSON.stringify(result)}`);
    }
  },
);
