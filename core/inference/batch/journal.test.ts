import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { BatchJournal, journalViews } from './journal.ts';

test('views hold their lines until flushed, so the journal keeps input order', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'neoscope-journal-')), 'journal');
  const journal = new BatchJournal(path);
  const open = journalViews(journal);
  const [first, second] = [open(), open()];
  assert.equal(first.has('a#1'), false);
  assert.equal(second.has('b#2'), false);
  second.record({ key: 'b#2', input: 'b', status: 'done' }); // finished first
  first.record({ key: 'a#1', input: 'a', status: 'done' });
  assert.equal(journal.entries.length, 0, 'nothing written before flush');
  first.flush();
  second.flush();
  journal.close();
  const keys = readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line).key);
  assert.deepEqual(keys, ['a#1', 'b#2']);
});

test('an input given twice is taken once while the first is still in flight', () => {
  const journal = new BatchJournal(join(mkdtempSync(join(tmpdir(), 'neoscope-journal-')), 'j'));
  const open = journalViews(journal);
  const first = open();
  assert.equal(first.has('x#1'), false, 'the first takes it');
  assert.equal(open().has('x#1'), true, 'the second sees it taken');
  first.record({ key: 'x#1', input: 'x', status: 'done' });
  first.flush();
  assert.equal(open().has('x#1'), true, 'and once recorded, done');
  journal.close();
});
