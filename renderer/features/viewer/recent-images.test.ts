import assert from 'node:assert/strict';
import { test } from 'node:test';
import { recentImages } from './recent-images.ts';

test('the least recently used image goes first; looking one up keeps it', () => {
  const recent = recentImages<string>(2);
  recent.remember('a', 'film A');
  recent.remember('b', 'film B');
  assert.equal(recent.get('a'), 'film A');
  recent.remember('c', 'film C');
  assert.equal(recent.get('b'), undefined);
  assert.equal(recent.get('a'), 'film A');
  assert.equal(recent.get('c'), 'film C');
});

test('remembering a key again replaces its image without growing', () => {
  const recent = recentImages<string>(1);
  recent.remember('a', 'first');
  recent.remember('a', 'second');
  assert.equal(recent.get('a'), 'second');
});
