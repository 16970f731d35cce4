import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError } from '../../../core/api/errors.ts';
import type { ApiClient } from '../../api/client.ts';
import {
  importFiles,
  planBatches,
  secondsLeft,
  type FileLike,
  type ImportProgress,
} from './import-files.ts';

const file = (name: string, size: number): FileLike => ({
  name,
  size,
  arrayBuffer: async () => new ArrayBuffer(size),
});

test('batches respect both the file count and the byte budget', () => {
  const sizes = [40, 40, 40, 5, 5, 100, 1];
  const batches = planBatches(
    sizes.map((s, i) => file(`f${i}`, s)),
    3,
    80,
  );
  assert.deepEqual(
    batches.map((b) => b.map((f) => f.size)),
    [[40, 40], [40, 5, 5], [100], [1]],
  );
});

test('a failed batch is reported per file and the next batch still runs', async () => {
  let calls = 0;
  const api = {
    transport: { kind: 'http' },
    call: async (_op: string, args: { files: Array<{ name: string }> }) => {
      calls++;
      if (calls === 1) throw new ApiError({ code: 'API_PAYLOAD_TOO_LARGE', message: 'too big' });
      return {
        imported: args.files.map((f) => ({ fileName: f.name })),
        duplicates: [],
        failed: [],
        skipped: [],
      };
    },
  } as unknown as ApiClient;
  const files = Array.from({ length: 70 }, (_, i) => file(`f${i}.dcm`, 10));
  const seen: ImportProgress[] = [];
  const report = await importFiles(api, files, (p) => seen.push(p));
  assert.equal(calls, 2);
  assert.equal(report.failed.length, 64);
  assert.equal(report.failed[0]!.code, 'API_PAYLOAD_TOO_LARGE');
  assert.equal(report.imported.length, 6);
  assert.deepEqual(
    seen.map((p) => p.done),
    [0, 64, 70],
  );
});

test('time left follows the rate so far', () => {
  const progress = { done: 10, total: 30, startedAt: 0, imported: 10, failed: 0 };
  assert.equal(secondsLeft(progress, 5000), 10);
  assert.equal(secondsLeft({ ...progress, done: 0 }, 5000), undefined);
  assert.equal(secondsLeft({ ...progress, done: 30 }, 5000), undefined);
});
