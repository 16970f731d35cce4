import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeWire, encodeWire, WireFormatError } from './wire.ts';

test('typed arrays survive the wire with their type and values', () => {
  const pixels = new Int16Array([-32768, -1, 0, 1, 32767]);
  const bytes = new Uint8Array([0, 255, 7]);
  const decoded = decodeWire(
    encodeWire({ a: pixels, nested: [{ b: bytes }], text: 'é', n: null }),
  ) as {
    a: Int16Array;
    nested: Array<{ b: Uint8Array }>;
    text: string;
    n: null;
  };
  assert.ok(decoded.a instanceof Int16Array);
  assert.deepEqual([...decoded.a], [...pixels]);
  assert.ok(decoded.nested[0]!.b instanceof Uint8Array);
  assert.deepEqual([...decoded.nested[0]!.b], [0, 255, 7]);
  assert.equal(decoded.text, 'é');
  assert.equal(decoded.n, null);
});

test('a Node Buffer is sent as bytes, not as its JSON form', () => {
  const decoded = decodeWire(encodeWire({ file: Buffer.from([1, 2, 3]) })) as { file: Uint8Array };
  assert.ok(decoded.file instanceof Uint8Array);
  assert.deepEqual([...decoded.file], [1, 2, 3]);
});

test('a view into a larger buffer sends only its own bytes', () => {
  const whole = new Uint16Array([1, 2, 3, 4]);
  const decoded = decodeWire(encodeWire(whole.subarray(1, 3))) as Uint16Array;
  assert.deepEqual([...decoded], [2, 3]);
});

test('malformed messages are refused with a reason', () => {
  assert.throws(() => decodeWire(new Uint8Array([1])), WireFormatError);
  assert.throws(() => decodeWire(new Uint8Array([255, 255, 0, 0, 123])), /exceeds/);
  const notJson = new Uint8Array([3, 0, 0, 0, 0x7b, 0x7b, 0x7b]);
  assert.throws(() => decodeWire(notJson), /not valid UTF-8 JSON/);
  const good = encodeWire({ x: new Uint8Array(10) });
  assert.throws(() => decodeWire(good.subarray(0, good.length - 3)), /claims 10 bytes/);
  const missingAttachment = new TextEncoder().encode('{"$bin":0,"type":"Uint8Array"}');
  const message = new Uint8Array(4 + missingAttachment.length);
  new DataView(message.buffer).setUint32(0, missingAttachment.length, true);
  message.set(missingAttachment, 4);
  assert.throws(() => decodeWire(message), /attachment 0/);
});

test('an attachment named more than once in the header is refused, not copied each time', () => {
  const attachment = new Uint8Array(8 * 1024);
  const header = new TextEncoder().encode(
    JSON.stringify({
      files: Array.from({ length: 1000 }, () => ({
        name: 'x.dcm',
        bytes: { $bin: 0, type: 'Uint8Array' },
      })),
    }),
  );
  const message = new Uint8Array(4 + header.length + 4 + attachment.length);
  const view = new DataView(message.buffer);
  view.setUint32(0, header.length, true);
  message.set(header, 4);
  view.setUint32(4 + header.length, attachment.length, true);
  assert.throws(
    () => decodeWire(message),
    (e: Error & { code?: string }) =>
      e.code === 'API_MALFORMED_REQUEST' && /referenced more than once/.test(e.message),
  );
  // Distinct attachments still decode.
  const ok = decodeWire(encodeWire({ a: new Uint8Array([1]), b: new Uint8Array([2]) })) as {
    a: Uint8Array;
    b: Uint8Array;
  };
  assert.deepEqual([ok.a[0], ok.b[0]], [1, 2]);
});
