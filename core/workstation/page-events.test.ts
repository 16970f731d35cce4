import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { WorkstationEventMap } from '../api/events.ts';
import { Emitter } from '../base/emitter.ts';
import { Session } from '../users/session.ts';
import { pageEvents } from './page-events.ts';

test('the page hears signed-in events only while someone is signed in, public ones always', () => {
  const events = new Emitter<WorkstationEventMap>();
  const session = new Session();
  const heard: string[] = [];
  const stop = pageEvents(events, session)((name) => heard.push(name));
  events.emit('library.changed', { imported: 1 });
  events.emit('session.changed', { state: 'signed-out' });
  session.signIn({ username: 'ada', displayName: 'Ada', role: 'ophthalmologist' });
  events.emit('library.changed', { imported: 1 });
  events.emit('analysis.progress', { reportId: 'r', done: -1, total: 2 }); // fails its schema
  stop();
  events.emit('worklist.changed', { reason: 'signed' });
  assert.deepEqual(heard, ['session.changed', 'library.changed']);
});

test("a listener's failure is reported and does not keep the others from hearing", () => {
  const failures: unknown[] = [];
  const events = new Emitter<WorkstationEventMap>((error) => failures.push(error));
  const heard: number[] = [];
  events.on('library.changed', () => {
    throw new Error('broken listener');
  });
  const off = events.on('library.changed', ({ imported }) => heard.push(imported));
  events.emit('library.changed', { imported: 4 });
  off();
  events.emit('library.changed', { imported: 5 });
  assert.deepEqual(heard, [4]);
  assert.equal(failures.length, 2);
});
