// Ambient types for dcmjs, visible to every tsconfig that reaches this file.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="../deidentify/dcmjs-module.d.ts" />
/**
 * Text attributes of a parsed data set, decoded with the Specific Character Set that
 * applies to them. dicom-parser's items do not point back to the data set holding their
 * sequence, so the set each item inherits is recorded by one walk of the file's data set
 * (`inheritCharacterSets`), made the first time an item's set is asked for; an item with
 * its own (0008,0005) uses that instead.
 *
 * Only SH, LO, ST, LT, UT, PN and UC are decoded with the set (PS3.5 6.1.2.3); every
 * other VR stays in the default repertoire. Implicit VR files do not carry the VR, so it
 * comes from the data dictionary.
 */
import dcmjs from 'dcmjs';
import type { DataSet, Element } from '../dicom-parser-module.ts';
import {
  DEFAULT_CHARACTER_SET,
  readCharacterSetBytes,
  type CharacterSet,
  type CharsetProblem,
} from './character-set.ts';
import { decodeText, isTextVr, type TextVr } from './decode-text.ts';
import { personNameGroups, type PersonNameGroups } from './person-name.ts';

export const SPECIFIC_CHARACTER_SET = 'x00080005';

/** Per data set object, like a field of it: what (0008,0005) in it says, and what it inherits. */
const ownSets = new WeakMap<DataSet, CharacterSet | null>();
const inheritedSets = new WeakMap<DataSet, CharacterSet>();
/**
 * Kept on the byte array a parse handed dicom-parser, which the file's data set and all
 * its items share: the file's top-level data set, until its items have been given their
 * sets. A property of that array rather than a WeakMap entry, because an entry per parsed
 * file kept every data set alive through young-generation collections and doubled the
 * parse time of small files (CT_small: 53 → 120 µs).
 */
const UNWALKED_FILE = Symbol('file data set whose items have not inherited a character set');
type FileByteArray = Uint8Array & { [UNWALKED_FILE]?: DataSet };

function ownCharacterSet(dataSet: DataSet): CharacterSet | undefined {
  const known = ownSets.get(dataSet);
  if (known !== undefined) return known ?? undefined;
  const element = dataSet.elements[SPECIFIC_CHARACTER_SET];
  let set: CharacterSet | undefined;
  if (element) {
    const end = Math.min(dataSet.byteArray.length, element.dataOffset + element.length);
    set =
      element.length > 0
        ? readCharacterSetBytes(dataSet.byteArray.subarray(element.dataOffset, end))
        : DEFAULT_CHARACTER_SET;
  }
  ownSets.set(dataSet, set ?? null);
  return set;
}

export function characterSetOf(dataSet: DataSet): CharacterSet {
  return ownCharacterSet(dataSet) ?? inheritedCharacterSet(dataSet) ?? DEFAULT_CHARACTER_SET;
}

function inheritedCharacterSet(dataSet: DataSet): CharacterSet | undefined {
  const known = inheritedSets.get(dataSet);
  if (known) return known;
  const bytes: FileByteArray = dataSet.byteArray;
  const file = bytes[UNWALKED_FILE];
  if (!file || file === dataSet) return undefined;
  bytes[UNWALKED_FILE] = undefined;
  inheritCharacterSets(file);
  return inheritedSets.get(dataSet);
}

/**
 * Lets the items of a just-parsed file's data set inherit its set when first asked. Walking
 * every element of every file at parse time cost a third of the parse, for sets that only
 * the few readers of text inside sequence items need. `dataSet.byteArray` must be this
 * parse's own array, not the caller's and not shared with another parse: it is marked.
 */
export function inheritCharacterSetsOnDemand(dataSet: DataSet): void {
  (dataSet.byteArray as FileByteArray)[UNWALKED_FILE] = dataSet;
}

/** Records, for every sequence item below `dataSet`, the set it inherits from its parent. */
export function inheritCharacterSets(dataSet: DataSet): void {
  const set = characterSetOf(dataSet);
  const { elements } = dataSet;
  for (const tag in elements) {
    const items = elements[tag]!.items;
    if (!items) continue;
    for (const item of items) {
      if (!item.dataSet) continue;
      inheritedSets.set(item.dataSet, set);
      inheritCharacterSets(item.dataSet);
    }
  }
}

function dictionaryVr(tag: string): string | undefined {
  const key = `(${tag.slice(1, 5)},${tag.slice(5, 9)})`.toUpperCase();
  return dcmjs.data.DicomMetaDictionary.dictionary[key]?.vr;
}

/** The element's VR when it is one of the text VRs, from the file or the dictionary. */
export function textVrOf(tag: string, element: Element): TextVr | undefined {
  const stored = element.vr && element.vr !== 'UN' ? element.vr : undefined;
  const vr = stored ?? dictionaryVr(tag);
  return isTextVr(vr) ? vr : undefined;
}

/**
 * The decoded value (all values, "\" kept) of a text element; undefined when the element
 * is absent or not of a text VR.
 */
export function readText(
  dataSet: DataSet,
  tag: string,
  report?: (problem: CharsetProblem) => void,
): string | undefined {
  const element = dataSet.elements[tag];
  if (!element) return undefined;
  const vr = textVrOf(tag, element);
  if (!vr) return undefined;
  if (element.length === 0 || element.length === 0xffffffff) return '';
  const end = Math.min(dataSet.byteArray.length, element.dataOffset + element.length);
  return decodeText(
    dataSet.byteArray.subarray(element.dataOffset, end),
    characterSetOf(dataSet),
    vr,
    report,
  );
}

/** The component groups of the first value of a PN element. */
export function readPersonName(dataSet: DataSet, tag: string): PersonNameGroups {
  const text = readText(dataSet, tag) ?? '';
  return personNameGroups(text.split('\\')[0] ?? '');
}

function tagText(tag: string): string {
  return `(${tag.slice(1, 5).toUpperCase()},${tag.slice(5, 9).toUpperCase()})`;
}

function attributeName(tag: string): string {
  const key = tagText(tag);
  const name = dcmjs.data.DicomMetaDictionary.dictionary[key]?.name;
  return name ? `${name} ${key}` : key;
}

/**
 * Problems with (0008,0005) itself and with text values that do not decode in their set,
 * in this data set and its items, each named by the attribute it concerns.
 */
export function characterSetProblems(dataSet: DataSet, limit = 20): CharsetProblem[] {
  const problems: CharsetProblem[] = [];
  const seen = new Set<string>();
  const add = (problem: CharsetProblem) => {
    if (seen.has(problem.message) || problems.length >= limit) return;
    seen.add(problem.message);
    problems.push(problem);
  };
  const visit = (ds: DataSet) => {
    ownCharacterSet(ds)?.problems.forEach(add);
    for (const [tag, element] of Object.entries(ds.elements)) {
      if (element.items) {
        for (const item of element.items) if (item.dataSet) visit(item.dataSet);
        continue;
      }
      readText(ds, tag, (problem) =>
        add({ code: problem.code, message: `${attributeName(tag)} ${problem.message}` }),
      );
    }
  };
  visit(dataSet);
  return problems;
}
