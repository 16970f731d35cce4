/**
 * De-identified copies are written in UTF-8 with Specific Character Set "ISO_IR 192",
 * whatever set the original used. dcmjs cannot read most non-Latin files right: it
 * refuses a multi-valued (0008,0005) (every Japanese and Korean file), knows no ISO 2022
 * escape sequences, and lets an item's own set change the decoding of the rest of the
 * file. So the file is given to dcmjs with every (0008,0005) blanked, which makes it read
 * each byte as one windows-1252 character (a reversible mapping); the text values are then
 * turned back into their bytes and decoded here, with the set that applies to each data
 * set (core/dicom/charset), before dcmjs writes them as UTF-8.
 */
import { characterSetOf, SPECIFIC_CHARACTER_SET } from '../charset/dataset-text.ts';
import { decodeText, isMultiValuedVr, isTextVr } from '../charset/decode-text.ts';
import { personNameGroups } from '../charset/person-name.ts';
import type { DataSet } from '../dicom-parser-module.ts';
import { parseDicomBytes } from '../parse.ts';
import { TransferSyntax } from '../uids.ts';

type DcmjsElement = { vr: string; Value?: unknown[]; _rawValue?: unknown };
type DcmjsDataset = Record<string, DcmjsElement>;

/** windows-1252 character → the byte it came from (the 5 unassigned bytes map to U+0081… as-is). */
const WINDOWS_1252_BYTES: ReadonlyMap<number, number> = new Map(
  [...new TextDecoder('windows-1252').decode(Uint8Array.from({ length: 256 }, (_, b) => b))].map(
    (c, b) => [c.charCodeAt(0), b],
  ),
);

function originalBytes(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => WINDOWS_1252_BYTES.get(c.charCodeAt(0)) ?? 0x3f);
}

export interface PreparedForDcmjs {
  /** The file with each (0008,0005) value overwritten by spaces. */
  bytes: Uint8Array;
  /** The same file as our parser reads it: the character set of each data set. */
  parsed: DataSet;
}

/**
 * Undefined when the file is not one our parser can map onto dcmjs's reading (a deflated
 * data set, whose offsets are not the file's, or one it cannot parse): dcmjs then reads
 * it alone, as it always did.
 */
export function prepareForDcmjs(bytes: Uint8Array, fileName: string): PreparedForDcmjs | undefined {
  let parsed;
  try {
    parsed = parseDicomBytes(bytes, fileName);
  } catch {
    return undefined;
  }
  if (parsed.transferSyntaxUid === TransferSyntax.DeflatedExplicitVRLittleEndian) return undefined;
  const blanked = bytes.slice();
  const blank = (dataSet: DataSet) => {
    for (const [tag, element] of Object.entries(dataSet.elements)) {
      if (tag === SPECIFIC_CHARACTER_SET)
        blanked.fill(0x20, element.dataOffset, element.dataOffset + element.length);
      for (const item of element.items ?? []) if (item.dataSet) blank(item.dataSet);
    }
  };
  blank(parsed.dataSet);
  return { bytes: blanked, parsed: parsed.dataSet };
}

function personName(value: string): Record<string, string> {
  const { alphabetic, ideographic, phonetic } = personNameGroups(value);
  return {
    Alphabetic: alphabetic,
    ...(ideographic ? { Ideographic: ideographic } : {}),
    ...(phonetic ? { Phonetic: phonetic } : {}),
  };
}

function rawText(element: DcmjsElement): string | undefined {
  const raw = element._rawValue ?? element.Value;
  const values = Array.isArray(raw) ? raw : [raw];
  if (!values.every((v) => typeof v === 'string')) return undefined;
  return values.join('\\');
}

/**
 * Decodes every text value of a dcmjs dataset read from `prepareForDcmjs` bytes, walking
 * our parser's data set alongside for the character set of each item.
 */
export function decodeTextValues(dataset: DcmjsDataset, parsed: DataSet | undefined): void {
  const set = parsed ? characterSetOf(parsed) : undefined;
  for (const [tag, element] of Object.entries(dataset)) {
    if (element.vr === 'SQ') {
      const items = parsed?.elements[`x${tag.toLowerCase()}`]?.items;
      (element.Value ?? []).forEach((item, index) =>
        decodeTextValues(item as DcmjsDataset, items?.[index]?.dataSet ?? parsed),
      );
      continue;
    }
    if (!set || !isTextVr(element.vr)) continue;
    const text = rawText(element);
    if (text === undefined) continue;
    const decoded = decodeText(originalBytes(text), set, element.vr);
    const values = isMultiValuedVr(element.vr) ? decoded.split('\\') : [decoded];
    element.Value =
      element.vr === 'PN' ? values.map(personName) : values.map((v) => v.replace(/\s+$/, ''));
    delete element._rawValue;
  }
}

/** Marks the rewritten dataset as UTF-8; items then need no set of their own. */
export function declareUtf8(dataset: DcmjsDataset, topLevel = true): void {
  for (const element of Object.values(dataset))
    if (element.vr === 'SQ')
      for (const item of element.Value ?? []) declareUtf8(item as DcmjsDataset, false);
  if (topLevel) dataset['00080005'] = { vr: 'CS', Value: ['ISO_IR 192'] };
  else delete dataset['00080005'];
}
