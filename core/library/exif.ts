/**
 * The few EXIF fields a camera export can tell the import (CIPA DC-008, a TIFF structure):
 * when the photo was taken, which camera took it, its orientation, and any free text a
 * fundus camera writes there (some put the eye in the image description or user comment).
 * Reads the EXIF block sharp returns ("Exif\0\0" + TIFF header); anything malformed ends the
 * reading quietly — EXIF is a hint, never a reason to refuse a photo.
 */

export interface ExifFacts {
  /** DateTimeOriginal (else DateTime): YYYYMMDD and HHMMSS. */
  date?: string;
  time?: string;
  make?: string;
  model?: string;
  serialNumber?: string;
  software?: string;
  /** 1 (as stored) to 8; 5–8 swap width and height. */
  orientation?: number;
  /** ImageDescription and UserComment, where a camera may name the eye. */
  text: string[];
}

const TAG = {
  ImageDescription: 0x010e,
  Make: 0x010f,
  Model: 0x0110,
  Orientation: 0x0112,
  Software: 0x0131,
  DateTime: 0x0132,
  ExifIfd: 0x8769,
  DateTimeOriginal: 0x9003,
  UserComment: 0x9286,
  BodySerialNumber: 0xa431,
} as const;

const TYPE_SIZES: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 7: 1, 9: 4, 10: 8 };

interface Entry {
  type: number;
  count: number;
  /** Offset of the value in the TIFF block (inline values point into the entry). */
  at: number;
}

function readIfd(tiff: DataView, offset: number, little: boolean): Map<number, Entry> {
  const entries = new Map<number, Entry>();
  if (offset + 2 > tiff.byteLength) return entries;
  const count = tiff.getUint16(offset, little);
  for (let i = 0; i < count; i++) {
    const e = offset + 2 + i * 12;
    if (e + 12 > tiff.byteLength) break;
    const type = tiff.getUint16(e + 2, little);
    const n = tiff.getUint32(e + 4, little);
    const size = (TYPE_SIZES[type] ?? 0) * n;
    const at = size <= 4 ? e + 8 : tiff.getUint32(e + 8, little);
    if (size && at + size <= tiff.byteLength)
      entries.set(tiff.getUint16(e, little), { type, count: n, at });
  }
  return entries;
}

function ascii(tiff: DataView, entry: Entry | undefined): string | undefined {
  if (!entry || (entry.type !== 2 && entry.type !== 7)) return undefined;
  const bytes = new Uint8Array(tiff.buffer, tiff.byteOffset + entry.at, entry.count);
  // UserComment starts with an 8-byte character code ("ASCII\0\0\0", "UNICODE\0", …).
  const text =
    entry.type === 7 && entry.count > 8
      ? new TextDecoder(bytes[0] === 0x55 ? 'utf-16' : 'utf-8').decode(bytes.subarray(8))
      : new TextDecoder('utf-8').decode(bytes);
  const clean = text.replace(/\0[\s\S]*$/, '').trim();
  return clean || undefined;
}

function short(tiff: DataView, entry: Entry | undefined, little: boolean): number | undefined {
  return entry?.type === 3 ? tiff.getUint16(entry.at, little) : undefined;
}

/** "2011:01:01 09:30:12" → 20110101, 093012. */
function dateTime(text: string | undefined): { date?: string; time?: string } {
  const m = /^(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(text ?? '');
  if (!m || m[1] === '0000') return {};
  return { date: `${m[1]}${m[2]}${m[3]}`, time: `${m[4]}${m[5]}${m[6]}` };
}

export function readExif(block: Uint8Array | undefined): ExifFacts {
  const facts: ExifFacts = { text: [] };
  if (!block || block.length < 14) return facts;
  const start =
    block[0] === 0x45 && block[1] === 0x78 && block[2] === 0x69 && block[3] === 0x66 ? 6 : 0;
  const tiff = new DataView(block.buffer, block.byteOffset + start, block.length - start);
  try {
    const order = tiff.getUint16(0, false);
    if (order !== 0x4949 && order !== 0x4d4d) return facts;
    const little = order === 0x4949;
    const ifd0 = readIfd(tiff, tiff.getUint32(4, little), little);
    const pointer = ifd0.get(TAG.ExifIfd);
    const exif =
      pointer && pointer.type === 4
        ? readIfd(tiff, tiff.getUint32(pointer.at, little), little)
        : new Map<number, Entry>();
    const when = dateTime(ascii(tiff, exif.get(TAG.DateTimeOriginal)));
    const fallback = dateTime(ascii(tiff, ifd0.get(TAG.DateTime)));
    Object.assign(facts, when.date ? when : fallback);
    facts.make = ascii(tiff, ifd0.get(TAG.Make));
    facts.model = ascii(tiff, ifd0.get(TAG.Model));
    facts.software = ascii(tiff, ifd0.get(TAG.Software));
    facts.serialNumber = ascii(tiff, exif.get(TAG.BodySerialNumber));
    facts.orientation = short(tiff, ifd0.get(TAG.Orientation), little);
    for (const text of [
      ascii(tiff, ifd0.get(TAG.ImageDescription)),
      ascii(tiff, exif.get(TAG.UserComment)),
    ])
      if (text) facts.text.push(text);
  } catch {
    // A truncated or inconsistent block: keep what was read.
  }
  for (const key of Object.keys(facts) as (keyof ExifFacts)[])
    if (facts[key] === undefined) delete facts[key];
  return facts;
}
