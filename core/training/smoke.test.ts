/**
 * The training pipeline, one tiny epoch, when Debian's PyTorch is installed (skipped with
 * the reason otherwise): the package it exports must pass the workstation's own loader —
 * schema, hash, and self-test vectors reproduced by ONNX Runtime within their tolerance.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { createWasmNodeEngine } from '../inference/engine-wasm-node.ts';
import { loadModelPackage } from '../inference/load-package.ts';
import { slotMismatch } from '../inference/portable/slot-schema.ts';
import { readSlots } from '../inference/slots.ts';
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

test('chest_pneumonia: one tiny epoch exports a classifier with CAM the workstation accepts', { skip: torchMissing ? 'PyTorch not installed (apt-get install -y python3-torch python3-onnx python3-pil)' : false, timeout: 300_000 }, async () => {
  const out = join(mkdtempSync(join(tmpdir(), 'neoscope-train-')), 'chest-pneumonia');
  const run = spawnSync(python, ['-m', 'training.chest_pneumonia.train', '--smoke', '--out', out], { cwd: projectRoot, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /split by child/);
  const loaded = await loadModelPackage(out, createWasmNodeEngine());
  assert.equal(loaded.manifest.id, 'chest-pneumonia');
  assert.equal(loaded.manifest.task, 'classification');
  assert.equal(loaded.manifest.saliency.cam?.featuresOutput, 'features');
  assert.equal(loaded.manifest.saliency.cam?.headWeights[0]?.length, 128);
  await loaded.session.release();
});

test('classifier_from_csv: a site\'s labelled images become a package that fills its slot', { skip: torchMissing ? 'PyTorch not installed (apt-get install -y python3-torch python3-onnx python3-pil)' : false, timeout: 300_000 }, async () => {
  // A labelled set where the answer is visible: "yes" films carry a large bright disc,
  // "no" films a small one; 16 patients with two films each.
  const folder = mkdtempSync(join(tmpdir(), 'neoscope-site-'));
  const lines = ['image,patient_id,hs_pda'];
  for (let p = 0; p < 16; p++) {
    for (let k = 0; k < 2; k++) {
      const yes = (p + k) % 2 === 0;
      const radius = yes ? 22 : 7;
      const pixels = Buffer.alloc(96 * 96);
      for (let y = 0; y < 96; y++) for (let x = 0; x < 96; x++) pixels[y * 96 + x] = (x - 48 - k * 5) ** 2 + (y - 48) ** 2 < radius ** 2 ? 230 : 40 + ((x * 7 + y * 13 + p) % 30);
      const name = `p${p}-${k}.png`;
      await sharp(pixels, { raw: { width: 96, height: 96, channels: 1 } }).png().toFile(join(folder, name));
      lines.push(`${name},P${p},${yes ? 'yes' : 'no'}`);
    }
  }
  writeFileSync(join(folder, 'labels.csv'), `${lines.join('\n')}\n`);
  const slotFile = join(projectRoot, 'models', 'slots', 'pda-significance.json');
  const out = join(folder, 'package');
  const run = spawnSync(python, ['-m', 'training.classifier_from_csv', '--slot', slotFile, '--images', folder, '--labels', join(folder, 'labels.csv'), '--out', out, '--licence', 'test data', '--size', '64', '--iterations', '120', '--batch', '8'], { cwd: projectRoot, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  const loaded = await loadModelPackage(out, createWasmNodeEngine());
  const [slot] = (await readSlots(join(projectRoot, 'models', 'slots'))).filter((s) => s.id === 'pda-significance');
  assert.equal(slotMismatch(slot!, loaded.manifest), null);
  const accuracy = loaded.manifest.metrics.find((m) => m.metric === 'hs_pda accuracy');
  console.log(`# held-out accuracy on the visible-answer set: ${accuracy?.value} (n=${accuracy?.n})`);
  assert.ok(accuracy && accuracy.value >= 0.75, `accuracy ${accuracy?.value}`);
  await loaded.session.release();

  // A label outside the slot's set is refused with the line that holds it.
  writeFileSync(join(folder, 'bad.csv'), 'image,patient_id,hs_pda\np0-0.png,P0,maybe\n');
  const bad = spawnSync(python, ['-m', 'training.classifier_from_csv', '--slot', slotFile, '--images', folder, '--labels', join(folder, 'bad.csv'), '--out', join(folder, 'x'), '--licence', 'x'], { cwd: projectRoot, encoding: 'utf8' });
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /line 2: hs_pda is 'maybe'; allowed: no, yes/);
});
