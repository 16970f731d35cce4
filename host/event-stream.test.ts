/**
 * The browser host's event stream against a real server on 127.0.0.1: refused like an API
 * call without the token, from another origin or by another method; with the token, the
 * workstation's events arrive as server-sent events, and a closed stream unsubscribes.
 */
import assert from 'node:assert/strict';
import { request, type IncomingMessage } from 'node:http';
import { after, before, test } from 'node:test';
import { Emitter } from '../core/base/emitter.ts';
import type { WorkstationEventMap } from '../core/api/events.ts';
import { createDispatcher } from '../core/api/dispatch.ts';
import type { PageEvents } from '../core/workstation/page-events.ts';
import { startBrowserHost, type BrowserHost } from './server.ts';

const emitter = new Emitter<WorkstationEventMap>();
let subscribers = 0;
const events: PageEvents = (listener) => {
  subscribers++;
  const off = emitter.onAny(listener);
  return () => {
    subscribers--;
    off();
  };
};
let host: BrowserHost;

before(async () => {
  host = await startBrowserHost({
    dispatch: createDispatcher({} as never),
    events,
    mounts: [],
  });
});
after(() => host.close());

function open(
  headers: Record<string, string>,
  method = 'GET',
): Promise<{ res: IncomingMessage; close: () => void }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: host.port, path: '/events', method, headers },
      (res) => resolve({ res, close: () => req.destroy() }),
    );
    req.on('error', reject);
    req.end();
  });
}

const auth = () => ({ Authorization: `Bearer ${host.token}` });

test('the stream is refused without the token, from another origin, and for a POST', async () => {
  for (const [headers, method, status] of [
    [{}, 'GET', 401],
    [{ Authorization: 'Bearer wrong' }, 'GET', 401],
    [{ ...auth(), Origin: 'http://evil.example' }, 'GET', 403],
    [auth(), 'POST', 400],
  ] as const) {
    const { res, close } = await open(headers, method);
    assert.equal(res.statusCode, status, `${method} ${JSON.stringify(headers)}`);
    close();
  }
  assert.equal(subscribers, 0, 'a refused request never subscribes');
});

test("with the token the workstation's events arrive as server-sent events", async () => {
  const { res, close } = await open(auth());
  assert.equal(res.statusCode, 200);
  assert.match(String(res.headers['content-type']), /^text\/event-stream/);
  let text = '';
  const arrived = new Promise<void>((resolve) =>
    res.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      if (text.includes('"state":"locked"')) resolve();
    }),
  );
  while (subscribers === 0) await new Promise((resolve) => setImmediate(resolve));
  emitter.emit('library.changed', { imported: 3 });
  emitter.emit('session.changed', { state: 'locked' });
  await arrived;
  assert.match(text, /event: library\.changed\ndata: \{"imported":3\}\n\n/);
  assert.match(text, /event: session\.changed\ndata: \{"state":"locked"\}\n\n/);
  close();
  while (subscribers > 0) await new Promise((resolve) => setTimeout(resolve, 10));
});
