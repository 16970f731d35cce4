/**
 * When dicom-parser runs off the end of a file it says only "buffer overrun". This finds
 * the element it was reading — the one after the last complete element — and reports
 * its tag, offset, declared length and what the file really has, e.g.
 * "truncated pixel data: 8,130 of 8,192 bytes".
 */
import type { DataSet } from './dicom-parser-module.ts';
import { DicomError, formatBytes } from './errors.ts';

const LONG_VRS = new Set([
  'OB',
  'OD',
  'OF',
  'OL',
  'OV',
  'OW',
  'SQ',
  'SV',
  'UC',
  'UN',
  'UR',
  'UT',
  'UV',
]);

function tagText(group: number, element: number): string {
  const hex = (n: number) => n.toString(16).toUpperCase().padStart(4, '0');
  return `(${hex(group)},${hex(element)})`;
}

export function describeTruncation(
  bytes: Uint8Array,
  partial: DataSet | undefined,
  explicit: boolean,
  bigEndian: boolean,
  fileName: string,
): DicomError | undefined {
  if (!partial) return undefined;
  // An element the parser already registered may itself run past the end.
  for (const [tag, parsedElement] of Object.entries(partial.elements)) {
    const end = parsedElement.dataOffset + parsedElement.length;
    if (parsedElement.length !== 0xffffffff && end > bytes.length) {
      const available = Math.max(0, bytes.length - parsedElement.dataOffset);
      if (tag === 'x7fe00010')
        return new DicomError(
          'DICOM_TRUNCATED_PIXEL_DATA',
          `truncated pixel data: ${formatBytes(available)} of ${formatBytes(parsedElement.length)} bytes`,
          fileName,
        );
      const group = parseInt(tag.slice(1, 5), 16);
      const element = parseInt(tag.slice(5), 16);
      return new DicomError(
        'DICOM_TRUNCATED',
        `file is truncated: element ${tagText(group, element)} declares ${formatBytes(parsedElement.length)} bytes, only ${formatBytes(available)} remain`,
        fileName,
      );
    }
  }
  let offset = 0;
  for (const element of Object.values(partial.elements)) {
    if (element.tag < 'x00030000') continue; // meta elements are parsed separately
    offset = Math.max(
      offset,
      element.dataOffset +
        (element.length > 0 && element.length !== 0xffffffff ? element.length : 0),
    );
  }
  if (offset === 0 || offset + 8 > bytes.length) {
    return offset + 8 > bytes.length && offset > 0
      ? new DicomError(
          'DICOM_TRUNCATED',
          `file is truncated: it ends ${bytes.length - offset} bytes into an element header at offset ${offset}`,
          fileName,
        )
      : undefined;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const group = view.getUint16(offset, !bigEndian);
  const element = view.getUint16(offset + 2, !bigEndian);
  let length: number;
  let valueOffset: number;
  const vr = String.fromCharCode(bytes[offset + 4]!, bytes[offset + 5]!);
  if (explicit && /^[A-Z]{2}$/.test(vr)) {
    if (LONG_VRS.has(vr)) {
      length = view.getUint32(offset + 8, !bigEndian);
      valueOffset = offset + 12;
    } else {
      length = view.getUint16(offset + 6, !bigEndian);
      valueOffset = offset + 8;
    }
  } else {
    length = view.getUint32(offset + 4, !bigEndian);
    valueOffset = offset + 8;
  }
  const available = Math.max(0, bytes.length - valueOffset);
  if (length === 0xffffffff || length <= available) return undefined;
  if (group === 0x7fe0 && element === 0x0010) {
    return new DicomError(
      'DICOM_TRUNCATED_PIXEL_DATA',
      `truncated pixel data: ${formatBytes(available)} of ${formatBytes(length)} bytes`,
      fileName,
    );
  }
  return new DicomError(
    'DICOM_TRUNCATED',
    `file is truncated: element ${tagText(group, element)} at offset ${formatBytes(offset)} declares ${formatBytes(length)} bytes, only ${formatBytes(available)} remain`,
    fileName,
  );
}
