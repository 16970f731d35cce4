/**
 * `neoscope analyze` runs on the fastest engine installed unless told otherwise, and every
 * result file says which engine ran it and why; the engines agree on the findings.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { chooseNodeEngine } from '../inference/engine-choice.ts';
import { writeFixtureModelsFolder } from '../inference/testing/fixture-package.ts';
import { samplePath } from '../testing/shared-data.ts';
import { analyzeCommand } from './commands.ts';

const models = writeFixtureModelsFolder();
const quiet = { out: () => {}, err: () => {} };

async function analyse(...engineArgs: string[]) {
  const out = mkdtempSync(join(tmpdir(), 'neoscope-engine-'));
  const args = [samplePath('retina-op-heidelberg-dcmjs.dcm'), '--out', out, '--models', models];
  assert.equal(
    await analyzeCommand([...args, '--model', 'test-quadrant', ...engineArgs], quiet),
    0,
  );
  return JSON.parse(
    readFileSync(join(out, 'retina-op-heidelberg-dcmjs', 'test-quadrant.json'), 'utf8'),
  ) as { engine: string; engineReason: string; backend: string; findings: { score: number }[] };
}

test('by default the fastest installed engine, placed where it runs fastest; --engine wasm forces WASM', async () => {
  const installed = (await chooseNodeEngine('auto')).name;
  const auto = await analyse();
  assert.equal(auto.engine, installed);
  // The worker thread, or this thread for a model quicker than the hop (this tiny one, once timed).
  assert.match(
    auto.engineReason,
    /in a worker thread|on the calling thread \([\d.]+ ms per image: the hop to the worker thread would cost more than it frees\)/,
  );
  if (installed === 'native') assert.match(auto.engineReason, /onnxruntime-node: the fastest/);
  else assert.match(auto.engineReason, /not installed/);

  const wasm = await analyse('--engine', 'wasm');
  assert.equal(wasm.engine, 'wasm');
  assert.equal(wasm.backend, 'wasm');
  assert.match(wasm.engineReason, /as asked/);
  assert.ok(Math.abs(auto.findings[0]!.score - wasm.findings[0]!.score) <= 1e-4);
});

test('--backend, the older name of --engine, still chooses the engine; --engine wins over it', async () => {
  const byOldName = await analyse('--backend', 'wasm');
  assert.equal(byOldName.engine, 'wasm');
  assert.match(byOldName.engineReason, /as asked/);
  const both = await analyse('--backend', 'node', '--engine', 'wasm');
  assert.equal(both.engine, 'wasm');
});

test('an unknown engine is a usage error', async () => {
  const errors: string[] = [];
  const code = await analyzeCommand(
    [samplePath('retina-op-heidelberg-dcmjs.dcm'), '--out', tmpdir(), '--engine', 'gpu'],
    { out: () => {}, err: (t) => void errors.push(t) },
  );
  assert.equal(code, 2);
  assert.match(errors.join(''), /--engine auto\|native\|wasm/);
});
