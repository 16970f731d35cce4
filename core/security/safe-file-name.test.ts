import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { pathInside, safeFileName } from './safe-file-name.ts';

test('an untrusted name becomes one ordinary segment: never ".", "..", a separator or a device name', () => {
  for (const hostile of [
    '..',
    '.',
    '...',
    '....jpg'.slice(0, 3),
    '../../etc/passwd',
    '..\\..\\x',
    '/abs/.hidden',
    'a/b/..',
    '',
    '   ',
  ]) {
    const name = safeFileName(hostile, 'image');
    assert.ok(
      name !== '.' && name !== '..' && !name.startsWith('.'),
      `${JSON.stringify(hostile)} → ${name}`,
    );
    assert.ok(!/[\\/]/.test(name), name);
  }
  assert.equal(safeFileName('../../etc/passwd'), 'passwd');
  assert.equal(safeFileName('..', 'image'), 'image');
  assert.equal(safeFileName('.bashrc'), 'bashrc');
  assert.equal(safeFileName('NUL.txt'), '_NUL.txt');
  assert.equal(safeFileName('Image 01 (OD).jpg'), 'Image_01_OD_.jpg');
  assert.equal(safeFileName('x'.repeat(500)).length, 120);
});

test('pathInside keeps relative entries inside the folder and refuses escapes', () => {
  const root = resolve('/tmp/neoscope-root');
  assert.equal(pathInside(root, 'a/b.dcm'), join(root, 'a', 'b.dcm'));
  for (const escape of ['../x', 'a/../../x', '/etc/passwd', 'C:/x', '.', 'a/..'])
    assert.equal(pathInside(root, escape), undefined, escape);
});
