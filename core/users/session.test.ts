import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Session } from './session.ts';

test('the session locks after the idle time and says why; activity keeps it open', () => {
  let now = 0;
  const session = new Session(() => now, 15);
  assert.throws(() => session.require(), /sign in first/);
  session.signIn({ username: 'ada', displayName: 'Ada', role: 'ophthalmologist' });
  now += 14 * 60_000;
  assert.equal(session.require().username, 'ada'); // activity at 14 min
  now += 14 * 60_000;
  assert.equal(session.peek()?.username, 'ada', '14 minutes after the last activity: still open');
  now += 2 * 60_000;
  assert.throws(
    () => session.require(),
    (e: Error & { code?: string }) =>
      e.code === 'AUTH_REQUIRED' && /locked after 15 minutes without activity/.test(e.message),
  );
  assert.equal(session.peek(), undefined);
});

test('listeners hear sign-in, sign-out and the idle lock, when it falls due and nobody calls', async () => {
  const heard: string[] = [];
  let now = 0;
  const session = new Session(() => now, 15);
  const stop = session.onChange((change) => heard.push(change));
  session.signIn({ username: 'ada', displayName: 'Ada', role: 'ophthalmologist' });
  session.signOut();
  session.signOut(); // nobody was signed in: nothing to hear
  session.signIn({ username: 'ada', displayName: 'Ada', role: 'ophthalmologist' });
  now += 16 * 60_000;
  assert.equal(session.peek(), undefined);
  assert.deepEqual(heard, ['signed-in', 'signed-out', 'signed-in', 'locked']);
  stop();

  // On the real clock with a lock of 0.1 s: the timer notices it without any call.
  const quick = new Session(undefined, 0.1 / 60);
  const changes: string[] = [];
  const locked = new Promise<void>((resolve) =>
    quick.onChange((change) => {
      changes.push(change);
      if (change === 'locked') resolve();
    }),
  );
  quick.signIn({ username: 'bo', displayName: 'Bo', role: 'radiologist' });
  const keepAlive = setTimeout(() => {}, 5_000); // the lock timer does not hold the process open
  await locked;
  clearTimeout(keepAlive);
  assert.deepEqual(changes, ['signed-in', 'locked']);
});
