/**
 * Native frames: a little endian frame is a view of the file's bytes, which the display
 * frame built from it does not share; big endian words come back swapped, 16- and 32-bit
 * alike, without touching the file.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ascii, concat, part10 } from './charset/test-dicom-bytes.ts';
import { decodeFrameBytes } from './decode.ts';
import { buildDisplayFrame } from './display-frame.ts';
import { readImagePixelModule } from './image-pixel-module.ts';
import { parseDicomBytes } from './parse.ts';
import { TransferSyntax } from './uids.ts';

const word16 = (n: number, bigEndian: boolean) =>
  bigEndian ? Uint8Array.of(n >> 8, n & 0xff) : Uint8Array.of(n & 0xff, n >> 8);
const word32 = (n: number, bigEndian: boolean) =>
  bigEndian
    ? concat(word16(n >>> 16, true), word16(n & 0xffff, true))
    : concat(word16(n & 0xffff, false), word16(n >>> 16, false));

/** One explicit VR element in either byte order (PS3.5 7.1.2, 7.3). */
function element(tag: [number, number], vr: string, value: Uint8Array, bigEndian: boolean) {
  const long = ['OB', 'OW', 'OL'].includes(vr);
  const length = long
    ? concat(new Uint8Array(2), word32(value.length, bigEndian))
    : word16(value.length, bigEndian);
  return concat(word16(tag[0], bigEndian), word16(tag[1], bigEndian), ascii(vr), length, value);
}

/** A 2×1 grey image of `bits`-bit samples, with its Image Pixel Module. */
function grey2x1(bits: 16 | 32, pixelData: Uint8Array, bigEndian: boolean): Uint8Array[] {
  const us = (tag: [number, number], n: number) =>
    element(tag, 'US', word16(n, bigEndian), bigEndian);
  return [
    element([0x0008, 0x0060], 'CS', ascii('OT'), bigEndian),
    us([0x0028, 0x0002], 1),
    element([0x0028, 0x0004], 'CS', ascii('MONOCHROME2 '), bigEndian),
    us([0x0028, 0x0010], 1),
    us([0x0028, 0x0011], 2),
    us([0x0028, 0x0100], bits),
    us([0x0028, 0x0101], bits),
    us([0x0028, 0x0102], bits - 1),
    us([0x0028, 0x0103], 0),
    element([0x7fe0, 0x0010], bits === 16 ? 'OW' : 'OL', pixelData, bigEndian),
  ];
}

test('a little endian frame is a view of the file; its display frame has pixels of its own', async () => {
  const file = part10(...grey2x1(16, Uint8Array.of(0x34, 0x12, 0x78, 0x56), false));
  // A Buffer, as fs gives it: the frame must still be a plain Uint8Array.
  const parsed = parseDicomBytes(Buffer.from(file), 'le.dcm');
  const module = readImagePixelModule(parsed);
  const frame = await decodeFrameBytes(parsed, module, 0);
  assert.equal(frame.constructor, Uint8Array);
  assert.deepEqual([...frame], [0x34, 0x12, 0x78, 0x56]);
  assert.equal(frame.buffer, parsed.dataSet.byteArray.buffer);

  const display = await buildDisplayFrame(parsed, 'le', 0);
  assert.deepEqual([...display.pixels], [0x1234, 0x5678]);
  assert.notEqual(display.pixels.buffer, parsed.dataSet.byteArray.buffer);
  display.pixels[0] = 0;
  assert.deepEqual([...(await decodeFrameBytes(parsed, module, 0))], [0x34, 0x12, 0x78, 0x56]);
});

test('big endian 16- and 32-bit words are swapped into a copy; the file is left as it was', async () => {
  const cases = [
    { bits: 16 as const, stored: [0x12, 0x34, 0x56, 0x78], expected: [0x34, 0x12, 0x78, 0x56] },
    {
      bits: 32 as const,
      stored: [0x01, 0x02, 0x03, 0x04, 0xa0, 0xb0, 0xc0, 0xd0],
      expected: [0x04, 0x03, 0x02, 0x01, 0xd0, 0xc0, 0xb0, 0xa0],
    },
  ];
  for (const { bits, stored, expected } of cases) {
    // A data set without Part 10 meta, recognised as explicit VR big endian by its first element.
    const file = concat(...grey2x1(bits, Uint8Array.from(stored), true));
    const original = file.slice();
    const parsed = parseDicomBytes(file, `be${bits}.dcm`);
    assert.equal(parsed.transferSyntaxUid, TransferSyntax.ExplicitVRBigEndian);
    const frame = await decodeFrameBytes(parsed, readImagePixelModule(parsed), 0);
    assert.deepEqual([...frame], expected, `${bits}-bit`);
    assert.deepEqual(file, original, `${bits}-bit file unchanged`);
  }
});
