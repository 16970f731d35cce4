import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { projectRoot } from '../testing/shared-data.ts';
import type { ModelManifest } from './portable/package-schema.ts';
import { readSlots, slotStatuses } from './slots.ts';

const slotsFolder = join(projectRoot, 'models', 'slots');

test('the shipped slots are ROP (ICROP3), BPD and PDA, and no shipped package fills them', async () => {
  const slots = await readSlots(slotsFolder);
  assert.deepEqual(slots.map((s) => s.id).sort(), ['bpd-grade', 'pda-significance', 'rop-icrop3']);
  const rop = slots.find((s) => s.id === 'rop-icrop3')!;
  assert.deepEqual(
    rop.heads.map((h) => h.name),
    ['zone', 'stage', 'plus', 'a_rop'],
  );
  assert.deepEqual(rop.heads.find((h) => h.name === 'plus')!.labels, ['none', 'pre-plus', 'plus']);
  const retina = JSON.parse(
    await readFile(join(projectRoot, 'models', 'retina-vessels', 'manifest.json'), 'utf8'),
  ) as ModelManifest;
  for (const status of slotStatuses(slots, [retina])) assert.deepEqual(status.filledBy, []);
});

test('a package naming a slot fills it only when its outputs match the heads', async () => {
  const [slot] = (await readSlots(slotsFolder)).filter((s) => s.id === 'pda-significance');
  const base = JSON.parse(
    await readFile(join(projectRoot, 'models', 'retina-vessels', 'manifest.json'), 'utf8'),
  ) as ModelManifest;
  const fits: ModelManifest = {
    ...base,
    id: 'pda-site',
    domain: 'chest',
    slot: 'pda-significance',
    task: 'classification',
    outputs: [{ name: 'hs_pda', kind: 'logits', labels: ['no', 'yes'], activation: 'softmax' }],
  };
  const wrongLabels: ModelManifest = {
    ...fits,
    id: 'pda-other',
    outputs: [{ name: 'hs_pda', kind: 'logits', labels: ['yes', 'no'], activation: 'softmax' }],
  };
  const [status] = slotStatuses([slot!], [fits, wrongLabels]);
  assert.deepEqual(status!.filledBy, [{ id: 'pda-site', version: base.version }]);
  assert.equal(status!.mismatched.length, 1);
  assert.match(status!.mismatched[0]!.reason, /labels \["yes","no"\] differ/);
});

test('a malformed slot file is named in the error', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'neoscope-slots-'));
  writeFileSync(
    join(folder, 'broken.json'),
    JSON.stringify({ schema: 'neoscope.model-slot/1', id: 'Broken Id' }),
  );
  await assert.rejects(readSlots(folder), /broken\.json: .*id/);
});
