/**
 * Small DICOM files built byte by byte for tests: explicit VR little endian Part 10 files
 * and implicit VR data sets, with sequences of defined length.
 */
export const ascii = (text: string) => Uint8Array.from([...text].map((c) => c.charCodeAt(0)));
export const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) out.set(part, (offset += part.length) - part.length);
  return out;
};
const u16 = (n: number) => Uint8Array.of(n & 0xff, n >> 8);
const u32 = (n: number) => Uint8Array.of(n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, n >>> 24);
const even = (value: Uint8Array, pad = 0x20) =>
  value.length % 2 ? concat(value, Uint8Array.of(pad)) : value;

/** One explicit VR little endian element (PS3.5 7.1.2). */
export function explicit(
  group: number,
  element: number,
  vr: string,
  value: Uint8Array,
): Uint8Array {
  const body = even(value, vr === 'UI' ? 0 : 0x20);
  const long = ['OB', 'SQ', 'UN', 'UT', 'UC'].includes(vr);
  return concat(
    u16(group),
    u16(element),
    ascii(vr),
    long ? concat(u16(0), u32(body.length)) : u16(body.length),
    body,
  );
}
/** One implicit VR little endian element (PS3.5 7.1.3). */
export const implicit = (group: number, element: number, value: Uint8Array) => {
  const body = even(value);
  return concat(u16(group), u16(element), u32(body.length), body);
};
export const item = (...elements: Uint8Array[]) => {
  const body = concat(...elements);
  return concat(u16(0xfffe), u16(0xe000), u32(body.length), body);
};

export function part10(...elements: Uint8Array[]): Uint8Array {
  const syntax = explicit(0x0002, 0x0010, 'UI', ascii('1.2.840.10008.1.2.1'));
  return concat(
    new Uint8Array(128),
    ascii('DICM'),
    explicit(0x0002, 0x0000, 'UL', u32(syntax.length)),
    syntax,
    ...elements,
  );
}
