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
