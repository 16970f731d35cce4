/**
 * Checks that do not stop an image from being shown but that a reader or the hospital's
 * PACS team must know about. Each finding is a warning with a stable code; the image is
 * still imported and shown, flagged.
 */
import { characterSetProblems } from './charset/dataset-text.ts';
import type { Element } from './dicom-parser-module.ts';
import type { ParsedDicom } from './parse.ts';
import { transferSyntaxName } from './uids.ts';

export interface DicomWarning {
  code: string;
  message: string;
}

/** Code String attributes checked also in implicit VR files (where the VR is not stored). */
const KNOWN_CS_TAGS: Record<string, string> = {
  x00080005: 'Specific Character Set',
  x00080008: 'Image Type',
  x00080060: 'Modality',
  x00080064: 'Conversion Type',
  x00100040: "Patient's Sex",
  x00180015: 'Body Part Examined',
  x00200060: 'Laterality',
  x00200062: 'Image Laterality',
  x00280004: 'Photometric Interpretation',
  x00282110: 'Lossy Image Compression',
  x00281056: 'VOI LUT Function',
  x20500020: 'Presentation LUT Shape',
};

function tagText(tag: string): string {
  return `(${tag.slice(1, 5).toUpperCase()},${tag.slice(5).toUpperCase()})`;
}

/** PS3.5 6.2: CS holds upper-case letters, digits, space and underscore ("\\" separates values). */
function invalidCsBytes(bytes: Uint8Array, element: Element): number[] {
  const bad: number[] = [];
  for (
    let i = element.dataOffset;
    i < element.dataOffset + element.length && i < bytes.length;
    i++
  ) {
    const b = bytes[i]!;
    const ok =
      (b >= 0x41 && b <= 0x5a) ||
      (b >= 0x30 && b <= 0x39) ||
      b === 0x20 ||
      b === 0x5f ||
      b === 0x5c ||
      b === 0x00;
    if (!ok) bad.push(b);
  }
  return bad;
}

/** dicom-parser's warnings, in a reader's words where we know them. */
function describeParserWarning(text: string): DicomWarning {
  const missingDelimiter = /element (x[0-9a-f]{8}) missing sequence delimiter tag xfffee0dd/.exec(
    text,
  );
  if (missingDelimiter) {
    return {
      code: 'DICOM_MISSING_SEQUENCE_DELIMITER',
      message: `${tagText(missingDelimiter[1]!)} ends without its Sequence Delimitation Item (FFFE,E0DD): the file may have been cut short after its last complete fragment`,
    };
  }
  return { code: 'DICOM_STRUCTURE_WARNING', message: text.replace(/^dicomParser\.\w+: /, '') };
}

export function validateDataSet(parsed: ParsedDicom): DicomWarning[] {
  const warnings: DicomWarning[] = [];
  const { dataSet } = parsed;
  if (!parsed.hasFileMeta) {
    warnings.push({
      code: 'DICOM_NO_FILE_META',
      message: `no Part 10 file meta information (legacy file); read as ${transferSyntaxName(parsed.transferSyntaxUid)}`,
    });
  } else if (!dataSet.elements.x00020000) {
    warnings.push({
      code: 'DICOM_META_GROUP_LENGTH_MISSING',
      message: 'file meta information lacks its group length (0002,0000), required by PS3.10 7.1',
    });
  }
  const groupLength = dataSet.elements.x00020000;
  if (parsed.hasFileMeta && groupLength) {
    const metaEnd = Math.max(
      ...Object.values(dataSet.elements)
        .filter((e) => e.tag <= 'x0002ffff')
        .map((e) => e.dataOffset + e.length),
    );
    const declared =
      dataSet.uint16('x00020000') !== undefined
        ? new DataView(dataSet.byteArray.buffer, dataSet.byteArray.byteOffset).getUint32(
            groupLength.dataOffset,
            true,
          )
        : undefined;
    const actual = metaEnd - (groupLength.dataOffset + groupLength.length);
    if (declared !== undefined && declared !== actual) {
      warnings.push({
        code: 'DICOM_META_GROUP_LENGTH_WRONG',
        message: `file meta group length (0002,0000) says ${declared} bytes; the group has ${actual}`,
      });
    }
  }
  const oddFragments = (dataSet.elements.x7fe00010?.fragments ?? []).filter(
    (fragment) => fragment.length % 2 === 1,
  ).length;
  if (oddFragments) {
    warnings.push({
      code: 'DICOM_ODD_FRAGMENT_LENGTH',
      message: `${oddFragments} Pixel Data fragment(s) have odd length; PS3.5 A.4 requires even lengths and many readers will fail`,
    });
  }
  for (const text of dataSet.warnings ?? []) warnings.push(describeParserWarning(String(text)));
  // Specific Character Set (0008,0005) and text values that do not decode in it.
  warnings.push(...characterSetProblems(dataSet));
  for (const [tag, element] of Object.entries(dataSet.elements)) {
    const isCs = element.vr === 'CS' || (element.vr === undefined && tag in KNOWN_CS_TAGS);
    if (isCs && element.length > 0) {
      const bad = invalidCsBytes(dataSet.byteArray, element);
      if (bad.length) {
        const shown = [...new Set(bad)]
          .slice(0, 4)
          .map((b) => `0x${b.toString(16).padStart(2, '0')}`)
          .join(', ');
        warnings.push({
          code: 'DICOM_INVALID_CS_VALUE',
          message: `${KNOWN_CS_TAGS[tag] ?? 'Code String'} ${tagText(tag)} contains ${bad.length} byte(s) not allowed in a CS value (${shown})`,
        });
      }
    }
    const b = dataSet.byteArray;
    const o = element.dataOffset;
    if (
      element.vr === 'UN' &&
      element.length >= 8 &&
      b[o] === 0xfe &&
      b[o + 1] === 0xff &&
      b[o + 2] === 0x00 &&
      b[o + 3] === 0xe0
    ) {
      warnings.push({
        code: 'DICOM_UN_SEQUENCE',
        message: `${tagText(tag)} has VR UN but holds a sequence of implicit-VR items (PS3.5 6.2.2); its contents are not read`,
      });
    }
  }
  return warnings;
}
