/**
 * The training pipeline, one tiny epoch, when Debian's PyTorch is installed (skipped with
 * the reason otherwise): the package it exports must pass the workstation's own loader —
 * schema, hash, and self-test vectors reproduced by ONNX Runtime within their tolerance.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createWasmNodeEngine } from '../inference/engine-wasm-node.ts';
import { loadModelPackage } from '../inference/load-package.ts';
import { projectRoot } from '../testing/shared-data.ts';

const python = '/usr/bin/python3';
const torchMissing = spawnSync(python, ['-c', 'import torch, onnx, PIL'], { encoding: 'utf8' }).status !== 0;

test('retina_vessels: one tiny epoch exports a package the workstation accepts', { skip: torchMissing ? 'PyTorch not installed (apt-get install -y python3-torch python3-onnx python3-pil)' : false, timeout: 300_000 }, async () => {
  const out = join(mkdtempSync(join(tmpdir(), 'neoscope-train-')), 'retina-vessels');
  const run = spawnSync(python, ['-m', 'training.retina_vessels.train', '--smoke', '--out', out], { cwd: projectRoot, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /split by subject/);
  const loaded = await loadModelPackage(out, createWasmNodeEngine());
  assert.equal(loaded.manifest.id, 'retina-vessels');
  assert.equal(loaded.manifest.task, 'segmentation');
  await loaded.session.release();
});

test('chest_lungs: one tiny epoch exports a package the workstation accepts', { skip: torchMissing ? 'PyTorch not installed (apt-get install -y python3-torch python3-onnx python3-pil)' : false, timeout: 300_000 }, async () => {
  const out = join(mkdtempSync(join(tmpdir(), 'neoscope-train-')), 'chest-lungs');
  const run = spawnSync(python, ['-m', 'training.chest_lungs.train', '--smoke', '--out', out], { cwd: projectRoot, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /split by patient/);
  const loaded = await loadModelPackage(out, createWasmNodeEngine());
  assert.equal(loaded.manifest.id, 'chest-lungs');
  assert.equal(loaded.manifest.domain, 'chest');
  assert.deepEqual(loaded.manifest.measurements, ['cardiothoracic-ratio']);
  await loaded.session.release();
});
