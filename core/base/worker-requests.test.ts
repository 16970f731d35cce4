import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  WorkerFailure,
  WorkerRequests,
  type ReplyOf,
  type RequestOf,
  type WorkerMessage,
} from './worker-requests.ts';

type Echo = WorkerMessage<'echo', { text: string }, string>;
type Count = WorkerMessage<'count', { text: string }, number>;
type Messages = Echo | Count;

function harness() {
  const posted: { request: RequestOf<Messages>; transfer: ArrayBuffer[] }[] = [];
  const busy: boolean[] = [];
  const requests = new WorkerRequests<Messages, 'TEXT_EMPTY'>(
    (request, transfer) => posted.push({ request, transfer }),
    (b) => busy.push(b),
  );
  return { posted, busy, requests };
}

test('each reply settles its own request, in any order, with the value typed per request', async () => {
  const { posted, busy, requests } = harness();
  const buffer = new ArrayBuffer(4);
  const echoed = requests.send({ type: 'echo', text: 'OD' }, [buffer]);
  const counted = requests.send({ type: 'count', text: 'OS' });
  assert.deepEqual(
    posted.map((p) => p.request),
    [
      { type: 'echo', text: 'OD', id: 1 },
      { type: 'count', text: 'OS', id: 2 },
    ],
  );
  assert.equal(posted[0]!.transfer[0], buffer, 'the buffers to transfer go with the request');
  requests.settle({ id: 2, type: 'count', ok: true, value: 2 });
  requests.settle({ id: 1, type: 'echo', ok: true, value: 'OD' });
  requests.settle({ id: 9, type: 'echo', ok: true, value: 'stray' }); // answers nothing: ignored
  const [text, count]: [string, number] = await Promise.all([echoed, counted]);
  assert.deepEqual([text, count], ['OD', 2]);
  assert.deepEqual(busy, [true, false], 'busy from the first request until the last answer');
});

test('a failure arrives as a WorkerFailure with the code, message and file the worker raised', async () => {
  const { requests } = harness();
  const pending = requests.send({ type: 'count', text: '' });
  const reply: ReplyOf<Messages, 'TEXT_EMPTY'> = {
    id: 1,
    type: 'count',
    ok: false,
    error: { code: 'TEXT_EMPTY', message: 'nothing to count', file: 'a.txt' },
  };
  requests.settle(reply);
  await assert.rejects(pending, (error: unknown) => {
    assert.ok(error instanceof WorkerFailure);
    assert.equal(error.code, 'TEXT_EMPTY');
    assert.equal(error.message, 'nothing to count');
    assert.equal(error.file, 'a.txt');
    return true;
  });
});

test('a stopped worker fails the requests in flight and every later one with the same error', async () => {
  const { posted, busy, requests } = harness();
  const pending = requests.send({ type: 'echo', text: 'x' });
  const gone = new WorkerFailure('WORKER_GONE', 'the worker stopped');
  requests.stop(gone);
  await assert.rejects(pending, (e) => e === gone);
  await assert.rejects(requests.send({ type: 'echo', text: 'y' }), (e) => e === gone);
  assert.equal(posted.length, 1, 'nothing is posted to a stopped worker');
  assert.equal(requests.running, false);
  assert.deepEqual(busy, [true, false]);
});
