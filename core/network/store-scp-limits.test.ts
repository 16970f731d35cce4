/**
 * The SCP's port is reachable before any AE title is checked: what an unauthenticated peer
 * can cost it is bounded. A 4 GiB A-ASSOCIATE-RQ header followed by a slow stream is cut
 * off at once while the API's event loop stays responsive; connections that never
 * associate (ARTIM, PS3.8 §9.1.5) or go silent are closed; a peer's A-ABORT closes the
 * association; associations beyond the cap are rejected (transient); and a normal C-ECHO,
 * even dribbled one byte at a time, still works, with our Maximum Length advertised.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createServer, get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { samplePath } from '../testing/shared-data.ts';
import {
  abortRq,
  advertisedMaxPdu,
  associateRq,
  cEchoRq,
  commandOf,
  pData,
  rawPeer,
  releaseRq,
  within,
} from './scp-test-peer.ts';
import { startStoreScp, type StoreScpOptions } from './store-scp.ts';

const AE = 'NEOSCOPE';

async function withScp(
  options: Partial<StoreScpOptions>,
  body: (port: number, log: string[]) => Promise<void>,
): Promise<void> {
  const log: string[] = [];
  const scp = await startStoreScp({
    aeTitle: AE,
    port: 0,
    log: (line) => log.push(line),
    onInstance: async () => ({ ok: true }),
    ...options,
  });
  try {
    await body(scp.port, log);
  } finally {
    await scp.close();
  }
}

/** Whether a log line matching `pattern` arrives within 2 s (the worker's lines come by message, not in step with the socket). */
async function logged(log: string[], pattern: RegExp, count = 1): Promise<boolean> {
  for (let i = 0; i < 40 && log.filter((l) => pattern.test(l)).length < count; i++)
    await new Promise((resolve) => setTimeout(resolve, 50));
  return log.filter((l) => pattern.test(l)).length >= count;
}

/** Round trips to a tiny in-process HTTP server (standing in for `app.info`), one every 100 ms until stopped. */
async function probeLatency(stop: Promise<unknown>): Promise<number[]> {
  const server = createServer((_, response) => response.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const latencies: number[] = [];
  let stopped = false;
  void stop.then(() => (stopped = true));
  try {
    for (let i = 0; i < 150 && !stopped; i++) {
      const started = performance.now();
      await new Promise<void>((resolve, reject) =>
        get({ host: '127.0.0.1', port, path: '/' }, (r) => r.resume().on('end', resolve)).on(
          'error',
          reject,
        ),
      );
      latencies.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    server.closeAllConnections();
    server.close();
  }
  return latencies;
}

function runHostilePeer(
  port: number,
): Promise<{ closedAfterMs: number | null; sent: number; answer: string }> {
  const script = fileURLToPath(new URL('./scp-hostile-peer.ts', import.meta.url));
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', script, String(port), '8000', String(64 * 1024 * 1024)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', () => {
      clearTimeout(killer);
      try {
        resolve(JSON.parse(output));
      } catch {
        reject(new Error(`hostile peer printed ${JSON.stringify(output)}`));
      }
    });
  });
}

for (const thread of ['worker', 'main'] as const) {
  test(
    `a 4 GiB A-ASSOCIATE-RQ header and a slow 64 MiB stream are cut off at once; the event loop stays responsive (${thread} thread)`,
    { timeout: 40_000 },
    async () => {
      await withScp({ thread }, async (port, log) => {
        const attack = runHostilePeer(port);
        // Probe for the whole stream, and at least a second, in case anything lingers after it.
        const latencies = await probeLatency(
          Promise.all([attack, new Promise((resolve) => setTimeout(resolve, 1000))]),
        );
        const result = await attack;
        const worst = Math.max(...latencies);
        console.log(
          `${thread}: hostile peer ${JSON.stringify(result)}; ${latencies.length} probes, worst latency ${worst.toFixed(1)} ms`,
        );
        assert.ok(worst < 1000, `worst API latency during the stream: ${worst.toFixed(0)} ms`);
        assert.notEqual(
          result.closedAfterMs,
          null,
          `the SCP kept the connection open for the whole stream (${result.sent} bytes)`,
        );
        assert.ok(result.closedAfterMs! < 2000, `closed after ${result.closedAfterMs} ms`);
        assert.ok(
          result.answer.startsWith('0700000000040000'),
          `A-ABORT (PS3.8 §9.3.8) expected, got ${result.answer}`,
        );
        assert.ok(
          await logged(log, /127\.0\.0\.1:\d+: A-ASSOCIATE-RQ declares 4294967280 bytes/),
          log.join('\n'),
        );
      });
    },
  );
}

test(
  'ARTIM: a connection that sends nothing, or half an A-ASSOCIATE-RQ, is closed',
  { timeout: 20_000 },
  async () => {
    await withScp({ limits: { artimMs: 300 } }, async (port, log) => {
      const silent = await rawPeer(port);
      const half = await rawPeer(port);
      half.send(associateRq({ called: AE }).subarray(0, 40));
      try {
        assert.ok(
          (await within(silent.closed, 3000, Infinity)) < 3000,
          'silent connection still open',
        );
        assert.ok(
          (await within(half.closed, 3000, Infinity)) < 3000,
          'half-sent A-ASSOCIATE-RQ still open',
        );
        assert.ok(await logged(log, /\(ARTIM\)/, 2), log.join('\n'));
      } finally {
        silent.end();
        half.end();
      }
    });
  },
);

test(
  'an associated peer that goes silent is aborted after the idle limit',
  { timeout: 20_000 },
  async () => {
    await withScp({ limits: { idleMs: 400 } }, async (port, log) => {
      const peer = await rawPeer(port);
      try {
        peer.send(associateRq({ called: AE }));
        assert.equal((await peer.nextPdu(3000))?.[0], 0x02, 'A-ASSOCIATE-AC');
        const abort = await peer.nextPdu(3000);
        assert.equal(abort?.[0], 0x07, 'A-ABORT after the idle limit');
        assert.ok((await within(peer.closed, 3000, Infinity)) < 5000, 'still open');
        assert.ok(await logged(log, /idle limit 400 ms/), log.join('\n'));
      } finally {
        peer.end();
      }
    });
  },
);

test(
  "a peer's A-ABORT closes the association; storescu --abort does not hang",
  { timeout: 30_000 },
  async () => {
    await withScp({}, async (port, log) => {
      const peer = await rawPeer(port);
      try {
        peer.send(associateRq({ called: AE }));
        assert.equal((await peer.nextPdu(3000))?.[0], 0x02, 'A-ASSOCIATE-AC');
        peer.send(abortRq());
        assert.ok(
          (await within(peer.closed, 2000, Infinity)) < 5000,
          'the SCP did not close the connection after A-ABORT',
        );
        assert.ok(await logged(log, /aborted by the peer/), log.join('\n'));
      } finally {
        peer.end();
      }
      assert.equal(
        spawnSync('storescu', ['--version']).error,
        undefined,
        'storescu (dcmtk) is needed',
      );
      const started = Date.now();
      const child = spawn(
        'storescu',
        [
          '--abort',
          '-aet',
          'MODALITY',
          '-aec',
          AE,
          '127.0.0.1',
          String(port),
          samplePath('chest-dx-lateral-highdicom.dcm'),
        ],
        { stdio: 'ignore' },
      );
      const code = await within(
        new Promise((resolve) => child.on('close', resolve)),
        10_000,
        'hung',
      );
      if (code === 'hung') child.kill('SIGKILL');
      assert.notEqual(
        code,
        'hung',
        `storescu --abort still waiting after ${Date.now() - started} ms`,
      );
    });
  },
);

test(
  'associations beyond the cap get A-ASSOCIATE-RJ (transient, local limit exceeded); further connections are closed',
  { timeout: 20_000 },
  async () => {
    await withScp({ limits: { maxAssociations: 2, maxRejecting: 1 } }, async (port, log) => {
      const peers = [];
      try {
        for (let i = 0; i < 2; i++) {
          const peer = await rawPeer(port);
          peers.push(peer);
          peer.send(associateRq({ called: AE }));
          assert.equal((await peer.nextPdu(3000))?.[0], 0x02, `association ${i + 1} accepted`);
        }
        const third = await rawPeer(port);
        const fourth = await rawPeer(port);
        peers.push(third, fourth);
        assert.ok(
          (await within(fourth.closed, 2000, Infinity)) < 3000,
          'the connection beyond the reject queue is closed at once',
        );
        third.send(associateRq({ called: AE }));
        const rj = await third.nextPdu(3000);
        assert.deepEqual(
          [...(rj ?? [])],
          [0x03, 0, 0, 0, 0, 4, 0, 2, 3, 2],
          'A-ASSOCIATE-RJ transient / service-provider (presentation) / local limit exceeded',
        );
        assert.ok(await logged(log, /rejecting/), log.join('\n'));

        // A slot freed by a release is served again.
        peers[0]!.send(releaseRq());
        assert.equal((await peers[0]!.nextPdu(3000))?.[0], 0x06, 'A-RELEASE-RP');
        peers[0]!.end();
        let answer: number | undefined;
        for (let attempt = 0; attempt < 30 && answer !== 0x02; attempt++) {
          await new Promise((resolve) => setTimeout(resolve, 100)); // until the server has seen the close
          const next = await rawPeer(port);
          peers.push(next);
          next.send(associateRq({ called: AE }));
          answer = (await next.nextPdu(3000))?.[0];
          next.end();
        }
        assert.equal(answer, 0x02, 'accepted once a slot is free');
      } finally {
        for (const peer of peers) peer.end();
      }
    });
  },
);

test(
  'C-ECHO still works, even dribbled a byte at a time, and the A-ASSOCIATE-AC advertises our Maximum Length; echoscu too',
  { timeout: 30_000 },
  async () => {
    await withScp({}, async (port) => {
      for (const proposed of [16384, 0]) {
        const peer = await rawPeer(port);
        try {
          const request = Buffer.concat([
            associateRq({ called: AE, maxPdu: proposed }),
            pData(1, 0x03, cEchoRq(7)),
          ]);
          for (let i = 0; i < request.length; i++) peer.send(request.subarray(i, i + 1));
          const ac = await peer.nextPdu(3000);
          assert.equal(ac?.[0], 0x02, 'A-ASSOCIATE-AC');
          assert.equal(
            advertisedMaxPdu(ac!),
            256 * 1024,
            `Maximum Length advertised when the peer proposed ${proposed}`,
          );
          const response = await peer.nextPdu(3000);
          assert.equal(response?.[0], 0x04, 'P-DATA-TF');
          assert.deepEqual(
            commandOf(response!),
            { command: 0x8030, status: 0 },
            'C-ECHO-RSP, success',
          );
          peer.send(releaseRq());
          assert.equal((await peer.nextPdu(3000))?.[0], 0x06, 'A-RELEASE-RP');
        } finally {
          peer.end();
        }
      }
      assert.equal(
        spawnSync('echoscu', ['--version']).error,
        undefined,
        'echoscu (dcmtk) is needed',
      );
      const child = spawn('echoscu', ['-aet', 'MODALITY', '-aec', AE, '127.0.0.1', String(port)], {
        timeout: 10_000,
      });
      let output = '';
      child.stdout.on('data', (d) => (output += d));
      child.stderr.on('data', (d) => (output += d));
      assert.equal(await new Promise((resolve) => child.on('close', resolve)), 0, output);
    });
  },
);
