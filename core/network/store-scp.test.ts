/**
 * dcmtk's storescu, as the sending modality, pushes the sample files into the SCP: they
 * land in the library (the worklist) with their identity; a sender calling the wrong AE
 * title is refused and stores nothing.
 */
import assert from 'node:assert/strict';
import { spawnSync, spawn } from 'node:child_process';
import { test } from 'node:test';
import { readString } from '../dicom/attributes.ts';
import { parseDicomBytes } from '../dicom/parse.ts';
import { createLibrary } from '../library/library.ts';
import { samplePath } from '../testing/shared-data.ts';
import { startStoreScp } from './store-scp.ts';
import { readFileSync } from 'node:fs';

function run(command: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args);
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

test(
  'storescu pushes the samples into the SCP and they appear in the library; a wrong AE title is refused',
  { timeout: 60_000 },
  async () => {
    assert.equal(
      spawnSync('storescu', ['--version']).error,
      undefined,
      'storescu (dcmtk) is needed',
    );
    const library = createLibrary();
    const log: string[] = [];
    const scp = await startStoreScp({
      aeTitle: 'NEOSCOPE',
      port: 0,
      log: (l) => log.push(l),
      onInstance: async (bytes, callingAe) => {
        const report = await library.importFiles(
          [{ name: `c-store-from-${callingAe}.dcm`, bytes }],
          `dicom:${callingAe}`,
        );
        return report.failed.length
          ? { ok: false, message: report.failed[0]!.message }
          : { ok: true };
      },
    });
    try {
      const files = [
        'chest-dx-lateral-highdicom.dcm',
        'chest-cr-j2k-pydicom.dcm',
        'retina-op-heidelberg-dcmjs.dcm',
      ].map(samplePath);
      const refused = await run('storescu', [
        '-aet',
        'MODALITY',
        '-aec',
        'SOMEONE-ELSE',
        '127.0.0.1',
        String(scp.port),
        files[0]!,
      ]);
      assert.notEqual(refused.code, 0);
      assert.match(refused.output, /Association Rejected|rejected/i);
      assert.equal(library.list().length, 0);

      // Each file in the syntax it is stored in: uncompressed (default), JPEG 2000 (-xw), JPEG lossless (-xs).
      for (const [file, propose] of [
        [files[0]!, []],
        [files[1]!, ['-xw']],
        [files[2]!, ['-xs']],
      ] as const) {
        const pushed = await run('storescu', [
          ...propose,
          '-aet',
          'MODALITY',
          '-aec',
          'NEOSCOPE',
          '127.0.0.1',
          String(scp.port),
          file,
        ]);
        assert.equal(pushed.code, 0, `${file}: ${pushed.output}`);
      }
      const listed = library.list();
      assert.equal(listed.length, 3, log.join('\n'));
      for (const file of files) {
        const sop = readString(
          parseDicomBytes(new Uint8Array(readFileSync(file)), file).dataSet,
          'x00080018',
        );
        assert.ok(
          listed.some((i) => i.sopInstanceUid === sop),
          `${file} arrived`,
        );
      }
      assert.ok(listed.every((i) => i.fileName.startsWith('c-store-from-MODALITY')));
    } finally {
      await scp.close();
    }
  },
);
