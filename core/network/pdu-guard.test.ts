/**
 * The PDU guard alone, on a loopback socket: it hands on whole PDUs however the bytes are
 * split, and answers each kind of violation with an A-ABORT of the right reason (PS3.8
 * §9.3.8) before closing, without handing on any of the offending PDU.
 */
import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { test } from 'node:test';
import { PduGuard } from './pdu-guard.ts';
import { resolveScpLimits, type ScpLimits } from './scp-limits.ts';
import { MAX_SMALL_MESSAGE_FRAGMENTS } from './pdv-check.ts';
import {
  abortRq,
  associateRq,
  cEchoRq,
  pData,
  rawPeer,
  releaseRq,
  within,
  type RawPeer,
} from './scp-test-peer.ts';

async function withGuard(
  overrides: Partial<ScpLimits>,
  body: (peer: RawPeer, delivered: Buffer[], log: string[]) => Promise<void>,
): Promise<void> {
  const limits = resolveScpLimits({ artimMs: 5000, idleMs: 5000, closeGraceMs: 200, ...overrides });
  const delivered: Buffer[] = [];
  const log: string[] = [];
  const server = createServer(
    (socket) =>
      new PduGuard(socket, {
        limits,
        log: (l) => log.push(l),
        onPdu: (pdu) => delivered.push(pdu),
      }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const peer = await rawPeer((server.address() as AddressInfo).port);
  try {
    await body(peer, delivered, log);
  } finally {
    peer.end();
    await new Promise((resolve) => server.close(resolve));
  }
}

async function expectAbort(peer: RawPeer, reason: number): Promise<void> {
  const answer = await peer.nextPdu(2000);
  assert.deepEqual(
    [...(answer ?? [])],
    [0x07, 0, 0, 0, 0, 4, 0, 0, 2, reason],
    'A-ABORT, source service provider',
  );
  assert.ok((await within(peer.closed, 2000, Infinity)) < 5000, 'connection closed');
}

const rq = associateRq({ called: 'NEOSCOPE' });
const echo = pData(1, 0x03, cEchoRq(1));

test('whole PDUs are handed on however the bytes are split', { timeout: 10_000 }, async () => {
  const stream = Buffer.concat([rq, echo, echo, releaseRq()]);
  for (const chunk of [1, 7, stream.length]) {
    await withGuard({}, async (peer, delivered) => {
      for (let at = 0; at < stream.length; at += chunk) peer.send(stream.subarray(at, at + chunk));
      for (let i = 0; i < 100 && delivered.length < 4; i++)
        await new Promise((resolve) => setTimeout(resolve, 20));
      assert.deepEqual(delivered, [rq, echo, echo, releaseRq()], `chunks of ${chunk}`);
    });
  }
});

test(
  'an A-ASSOCIATE-RQ over the cap is aborted from its header (invalid PDU parameter value)',
  { timeout: 10_000 },
  async () => {
    await withGuard({ maxAssociateRqBytes: 1024 }, async (peer, delivered, log) => {
      peer.send(Buffer.from([0x01, 0x00, 0x00, 0x00, 0x04, 0x01]));
      await expectAbort(peer, 6);
      assert.equal(delivered.length, 0);
      assert.match(
        log.join('\n'),
        /127\.0\.0\.1:\d+: A-ASSOCIATE-RQ declares 1025 bytes \(limit 1024\)/,
      );
    });
  },
);

test('an unknown PDU type is aborted (unrecognized PDU)', { timeout: 10_000 }, async () => {
  await withGuard({}, async (peer, delivered) => {
    peer.send(Buffer.from([0x47, 0x45, 0x54, 0x20, 0x2f, 0x20])); // "GET / "
    await expectAbort(peer, 1);
    assert.equal(delivered.length, 0);
  });
});

test(
  'anything but an A-ASSOCIATE-RQ first is aborted (unexpected PDU)',
  { timeout: 10_000 },
  async () => {
    await withGuard({}, async (peer, delivered) => {
      peer.send(echo);
      await expectAbort(peer, 2);
      assert.equal(delivered.length, 0);
    });
  },
);

test(
  'a P-DATA-TF over the advertised maximum is aborted; one at the maximum passes',
  { timeout: 10_000 },
  async () => {
    await withGuard({ maxPduLength: 4096, pduSlackBytes: 0 }, async (peer, delivered) => {
      const atMaximum = pData(1, 0x00, Buffer.alloc(4096 - 6));
      peer.send(Buffer.concat([rq, atMaximum]));
      peer.send(pData(1, 0x00, Buffer.alloc(4096 - 5)).subarray(0, 6));
      await expectAbort(peer, 6);
      assert.deepEqual(delivered, [rq, atMaximum]);
    });
  },
);

test(
  'an association that sends more than its byte cap is aborted',
  { timeout: 10_000 },
  async () => {
    await withGuard({ maxAssociationBytes: 20_000 }, async (peer, delivered, log) => {
      peer.send(rq);
      for (let i = 0; i < 10; i++) peer.send(pData(1, 0x00, Buffer.alloc(4000)));
      await expectAbort(peer, 0);
      assert.ok(delivered.length < 6, `${delivered.length} PDUs handed on`);
      assert.match(log.join('\n'), /more than 20000 bytes/);
    });
  },
);

test(
  'a second A-ASSOCIATE-RQ, or an A-RELEASE-RQ of the wrong length, is aborted',
  { timeout: 10_000 },
  async () => {
    await withGuard({}, async (peer) => {
      peer.send(Buffer.concat([rq, rq]));
      await expectAbort(peer, 2);
    });
    await withGuard({}, async (peer) => {
      peer.send(Buffer.concat([rq, Buffer.from([0x05, 0, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0])]));
      await expectAbort(peer, 6);
    });
  },
);

test(
  'an A-ABORT before associating just closes the connection (PS3.8 §9.2 AA-2)',
  { timeout: 10_000 },
  async () => {
    await withGuard({}, async (peer, delivered) => {
      peer.send(abortRq());
      assert.ok((await within(peer.closed, 2000, Infinity)) < 5000, 'connection closed');
      assert.equal(await peer.nextPdu(10), undefined, 'nothing sent back');
      assert.equal(delivered.length, 0);
    });
  },
);

test('a PDV item that does not fit its P-DATA-TF is aborted', { timeout: 10_000 }, async () => {
  await withGuard({}, async (peer, delivered) => {
    const broken = Buffer.from(echo);
    broken.writeUInt32BE(broken.length, 6); // the PDV claims more than the PDU holds
    peer.send(Buffer.concat([rq, broken]));
    await expectAbort(peer, 6);
    assert.deepEqual(delivered, [rq]);
  });
});

test(
  'a command set dribbled in many fragments, or a large data set after a C-ECHO, is aborted; a C-STORE data set in many fragments passes',
  { timeout: 10_000 },
  async () => {
    const tiny = (control: number) => pData(1, control, Buffer.alloc(4));
    await withGuard({}, async (peer, delivered, log) => {
      peer.send(
        Buffer.concat([
          rq,
          ...Array.from({ length: MAX_SMALL_MESSAGE_FRAGMENTS + 1 }, () => tiny(0x01)),
        ]),
      );
      await expectAbort(peer, 6);
      assert.equal(delivered.length, 1 + MAX_SMALL_MESSAGE_FRAGMENTS);
      assert.match(log.join('\n'), /command set in over 64 fragments/);
    });
    await withGuard({ maxCommandBytes: 1000 }, async (peer) => {
      peer.send(Buffer.concat([rq, echo, pData(1, 0x00, Buffer.alloc(1001))]));
      await expectAbort(peer, 6);
    });
    const store = Buffer.from(cEchoRq(2));
    store.writeUInt16LE(
      0x0001,
      store.indexOf(Buffer.from([0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00])) + 8,
    ); // C-STORE-RQ
    store.writeUInt16LE(0x0000, store.length - 2); // a data set follows
    await withGuard({}, async (peer, delivered) => {
      const fragments = Array.from({ length: 1000 }, (_, i) => tiny(i === 999 ? 0x02 : 0x00));
      peer.send(Buffer.concat([rq, pData(1, 0x03, store), ...fragments]));
      for (let i = 0; i < 100 && delivered.length < 1002; i++)
        await new Promise((resolve) => setTimeout(resolve, 20));
      assert.equal(delivered.length, 1002);
      assert.equal(await peer.nextPdu(50), undefined, 'no A-ABORT');
    });
  },
);
