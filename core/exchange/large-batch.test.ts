/**
 * A batch of 1,000 images (copies of the samples re-identified with new UIDs and patients)
 * is imported by the CLI with progress and an images/s figure; the import is killed with
 * SIGKILL midway and run again: it resumes, skipping what was stored, and ends with all
 * 1,000 images in the store exactly once.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { deidentifyDicom } from '../dicom/deidentify/deidentify.ts';
import { openDataFolder } from '../store/data-folder.ts';
import { projectRoot, samplePath } from '../testing/shared-data.ts';
import { createBatch } from './batch-package.ts';
import { PartnerKeys, SiteIdentity } from './site-identity.ts';

const COUNT = 1000;

function importRun(
  data: string,
  zip: string,
  killAfter?: number,
): Promise<{ signal: string | null; stdout: string; progress: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(projectRoot, 'core/cli/main.ts'),
        'batch',
        'import',
        '--data',
        data,
        zip,
      ],
      { cwd: projectRoot },
    );
    let stdout = '';
    let buffer = '';
    const progress: string[] = [];
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      buffer += d;
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        progress.push(line);
        const done = Number(/\] (\d+)\//.exec(line)?.[1] ?? 0);
        if (killAfter !== undefined && done >= killAfter) child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('close', (_code, signal) => resolve({ signal, stdout, progress }));
  });
}

test(
  `${COUNT} images: progress and images/s, killed midway, resumed to exactly ${COUNT}`,
  { timeout: 600_000 },
  async () => {
    const sources = ['chest-dx-lateral-highdicom.dcm', 'retina-op-heidelberg-dcmjs.dcm'].map(
      (n) => new Uint8Array(readFileSync(samplePath(n))),
    );
    const files = Array.from({ length: COUNT }, (_, i) => ({
      name: `copy-${i}.dcm`,
      bytes: deidentifyDicom(sources[i % 2]!, {
        uidKey: `copy-${i}`,
        pseudonym: { patientId: `INFANT-${i % 97}`, patientName: `Infant^${i % 97}` },
      }),
    }));
    const a = mkdtempSync(join(tmpdir(), 'neoscope-1000-a-'));
    const b = mkdtempSync(join(tmpdir(), 'neoscope-1000-b-'));
    const siteA = await SiteIdentity.init(a, 'regional-A');
    await SiteIdentity.init(b, 'hub-B');
    await new PartnerKeys(b).add(siteA.public);
    const zip = join(a, 'batch.zip');
    writeFileSync(zip, (await createBatch(files, siteA, { softwareVersion: '0.1.0' })).zip);

    const first = await importRun(b, zip, 300);
    assert.equal(first.signal, 'SIGKILL');
    const rateLine = first.progress.filter((l) => /images\/s/.test(l)).at(-1)!;
    assert.match(rateLine, /\] \d+\/1000 · [\d.]+ images\/s · \d+ s left/);

    const second = await importRun(b, zip);
    assert.equal(second.signal, null);
    const summary = /(\d+) imported, (\d+) already here, (\d+) unreadable; ([\d.]+) images\/s/.exec(
      second.stdout,
    );
    assert.ok(summary, second.stdout + second.progress.join('\n'));
    const [imported, already, unreadable] = [
      Number(summary[1]),
      Number(summary[2]),
      Number(summary[3]),
    ];
    console.log(
      `# first run killed at "${rateLine.trim()}"; resumed run: ${imported} imported, ${already} already stored, ${summary[4]} images/s`,
    );
    assert.equal(unreadable, 0);
    assert.ok(already >= 300, 'what the killed run stored is not imported again');
    assert.equal(imported + already, COUNT);
    const data = await openDataFolder(b);
    try {
      assert.equal(Number(data.db.get('SELECT count(*) AS n FROM instances')!.n), COUNT);
      assert.equal(data.db.integrityCheck(), 'ok');
    } finally {
      data.close();
    }
  },
);
