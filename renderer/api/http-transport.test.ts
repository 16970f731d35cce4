import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sseParser } from './http-transport.ts';

test('server-sent events are read whole, however the stream splits them', () => {
  const events: [string, string][] = [];
  const feed = sseParser((name, data) => events.push([name, data]));
  feed('retry: 3000\n\nevent: library.chan');
  feed('ged\ndata: {"imported":2}\n');
  feed('\n: still here\n\nevent: session.changed\ndata: {"state":"locked"}\n\n');
  assert.deepEqual(events, [
    ['library.changed', '{"imported":2}'],
    ['session.changed', '{"state":"locked"}'],
  ]);
});
