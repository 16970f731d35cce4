/**
 * SIGKILL during import, analysis and sign-off, three times each at varying moments: after
 * every restart the index passes SQLite's integrity check, every piece of work the process
 * had reported as done is there intact, and the audit chain and signed reports verify.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { verifyDataFolder } from './verify-data-folder.ts';
import { createLibrary } from '../library/library.ts';
import { projectRoot } from '../testing/shared-data.ts';
import { openDataFolder } from './data-folder.ts';

/** Runs the worker until it has reported `count` commits plus a random extra delay, then SIGKILLs it. */
function runAndKill(
  folder: string,
  mode: string,
  start: number,
  count: number,
  delayMs: number,
): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(projectRoot, 'core/store/testing/crash-worker.ts'),
        folder,
        mode,
        String(start),
      ],
      { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const committed: string[] = [];
    let buffer = '';
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.on('data', (d) => {
      buffer += d;
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (line.startsWith('committed ')) committed.push(line.slice(10));
        if (committed.length === count) setTimeout(() => child.kill('SIGKILL'), delayMs);
      }
    });
    child.on('exit', (code, signal) =>
      signal === 'SIGKILL'
        ? resolve(committed)
        : reject(new Error(`worker exited ${code}: ${stderr}`)),
    );
  });
}

test(
  'SIGKILL during import: no committed image is lost, the index stays consistent',
  { timeout: 240_000 },
  async () => {
    const folder = mkdtempSync(join(tmpdir(), 'neoscope-crash-import-'));
    const committed = new Set<string>();
    let start = 0;
    for (const delay of [0, 7, 23]) {
      for (const id of await runAndKill(folder, 'import', start, 4, delay)) committed.add(id);
      start += 100;
      const data = await openDataFolder(folder);
      try {
        assert.equal(data.db.integrityCheck(), 'ok');
        const listed = new Set(
          createLibrary({ store: data.instances })
            .list()
            .map((s) => s.instanceId),
        );
        for (const id of committed) {
          assert.ok(listed.has(id), `committed image ${id.slice(0, 12)} lost`);
          await data.instances.bytes(id); // throws if the stored bytes are missing or changed
        }
      } finally {
        data.close();
      }
    }
    console.log(`# ${committed.size} committed imports survived 3 kills`);
  },
);

test(
  'SIGKILL during sign-off: committed versions survive, the rest is undone, everything verifies',
  { timeout: 240_000 },
  async () => {
    const folder = mkdtempSync(join(tmpdir(), 'neoscope-crash-sign-'));
    const committed = new Map<string, string>();
    let start = 0;
    const recoveries: string[] = [];
    for (const delay of [0, 3, 11]) {
      for (const line of await runAndKill(folder, 'sign-off', start, 5, delay)) {
        const [key, hash] = line.split(' ');
        committed.set(key!, hash!);
      }
      start += 100;
      const data = await openDataFolder(folder);
      try {
        recoveries.push(...data.recovered);
        const check = await verifyDataFolder(folder);
        assert.ok(check.ok, check.lines.join('\n'));
        for (const [key, hash] of committed) {
          const [id, v] = key.split('/');
          assert.equal(
            (await data.reports.read(id!, Number(v!.slice(1)))).contentHash,
            hash,
            `${key} lost or changed`,
          );
        }
      } finally {
        data.close();
      }
    }
    console.log(
      `# ${committed.size} committed sign-offs survived 3 kills; recovery: ${recoveries.join('; ') || 'nothing to do'}`,
    );
  },
);

test(
  'SIGKILL during analysis: every recorded AI value survives, in order',
  { timeout: 240_000 },
  async () => {
    const folder = mkdtempSync(join(tmpdir(), 'neoscope-crash-analysis-'));
    const committed: string[] = [];
    let start = 0;
    for (const delay of [0, 5, 17]) {
      committed.push(...(await runAndKill(folder, 'analysis', start, 6, delay)));
      start += 1000;
      const data = await openDataFolder(folder);
      try {
        assert.equal(data.db.integrityCheck(), 'ok');
        const { ReviewService } = await import('../review/review-service.ts');
        const { Accounts } = await import('../users/accounts.ts');
        const recorded = new ReviewService(
          data.db,
          data.audit,
          data.reports,
          new Accounts(data.db, data.audit),
        )
          .history('exam-1')
          .map((c) => c.to);
        for (const value of committed)
          assert.ok(recorded.includes(value), `AI value ${value} lost`);
        assert.ok((await verifyDataFolder(folder)).ok);
      } finally {
        data.close();
      }
    }
    console.log(`# ${committed.length} committed AI values survived 3 kills`);
  },
);
