import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readReidentification, recordReidentification } from './reidentification-table.ts';

test('a second batch of the same infant adds its study without losing the first', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'neoscope-reid-'));
  mkdirSync(join(folder, 'site'));
  await recordReidentification(folder, [
    {
      pseudonym: 'PSN-A',
      patientId: 'NICU-1',
      patientName: 'Doe^Baby',
      studies: { '2.25.1': '1.2.3.1' },
    },
  ]);
  await recordReidentification(folder, [
    {
      pseudonym: 'PSN-A',
      patientId: 'NICU-1',
      patientName: 'Doe^Baby',
      studies: { '2.25.2': '1.2.3.2' },
    },
    { pseudonym: 'PSN-B', patientId: 'NICU-2', patientName: 'Roe^Baby', studies: {} },
  ]);
  const table = await readReidentification(folder);
  assert.deepEqual(table.find((e) => e.pseudonym === 'PSN-A')!.studies, {
    '2.25.1': '1.2.3.1',
    '2.25.2': '1.2.3.2',
  });
  assert.equal(table.length, 2);
  assert.equal(
    statSync(join(folder, 'site', 'reidentification.json')).mode & 0o077,
    0,
    'readable by this site only',
  );
});
