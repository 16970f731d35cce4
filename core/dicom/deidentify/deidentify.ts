// Ambient types for dcmjs, visible to every tsconfig that reaches this file.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./dcmjs-module.d.ts" />
/**
 * De-identification by the PS3.15 Annex E Basic Application Level Confidentiality Profile,
 * optionally with the Retain Longitudinal Temporal Information with Full Dates Option
 * (E.3.6), applied wherever attributes occur, sequences included. Used by export and
 * batch exchange. The DICOM file is read and written with dcmjs.
 *
 * Combined actions are resolved to keep the object conformant while removing content:
 * X/Z → Z (present, empty), any action with D → D (dummy value), X/Z/U* → the sequence is
 * kept and every UID inside it is replaced (U*). UIDs are replaced by "2.25." UUID-derived
 * UIDs computed from a secret key, so the same original UID maps to the same new UID across
 * a batch (studies and series stay together) and cannot be reversed without the key.
 */
import { createHmac } from 'node:crypto';
import dcmjs from 'dcmjs';
import { DicomError } from '../errors.ts';
import { profileEntryFor, type ProfileAction } from './basic-profile.ts';
import { declareUtf8, decodeTextValues, prepareForDcmjs } from './utf8-text.ts';

export interface DeidentifyOptions {
  /** Secret for UID replacement; keep it at the sending site (it makes the mapping repeatable). */
  uidKey: string;
  retainLongitudinalFullDates?: boolean;
  /** Pseudonymous identity written instead of the emptied Patient's Name / ID (issue: batch exchange). */
  pseudonym?: { patientId: string; patientName: string };
}

type DicomElement = { vr: string; Value?: unknown[]; _rawValue?: unknown; InlineBinary?: string };
type DicomDataset = Record<string, DicomElement>;

export function replacementUid(uid: string, key: string): string {
  // PS3.5 B.2: a UUID as an integer under the root 2.25; 122 random bits from an HMAC.
  const digest = createHmac('sha256', key).update(uid).digest();
  const bytes = Buffer.from(digest.subarray(0, 16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40; // version 4 layout, as UUID-derived UIDs are
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  return `2.25.${BigInt(`0x${bytes.toString('hex')}`).toString(10)}`;
}

/** A valid dummy value for each VR (PS3.5 6.2 lengths and character repertoires). */
function dummyValue(vr: string): unknown[] {
  switch (vr) {
    case 'PN':
      return [{ Alphabetic: 'ANONYMOUS' }];
    case 'DA':
      return ['19000101'];
    case 'TM':
      return ['000000'];
    case 'DT':
      return ['19000101000000'];
    case 'CS':
    case 'AE':
      return ['ANONYMIZED'];
    case 'AS':
      return ['000D'];
    case 'IS':
    case 'DS':
    case 'US':
    case 'SS':
    case 'UL':
    case 'SL':
    case 'FL':
    case 'FD':
      return [0];
    case 'UI':
      return ['2.25.0'];
    case 'OB':
    case 'OW':
    case 'OD':
    case 'OF':
    case 'OL':
    case 'OV':
    case 'UN':
      return [new Uint8Array([0x44, 0x55]).buffer]; // an even-length, non-empty dummy
    default:
      return ['ANONYMIZED'];
  }
}

function resolveAction(action: ProfileAction): 'D' | 'Z' | 'X' | 'K' | 'U' | 'U*' {
  if (action === 'X/Z/U*') return 'U*';
  if (action.includes('D')) return 'D';
  if (action === 'X/Z') return 'Z';
  return action as 'Z' | 'X' | 'K' | 'U';
}

/** U*: instance UIDs inside the sequence not already replaced by their own profile entry. */
function replaceUidsInside(dataset: DicomDataset, key: string): void {
  for (const [tag, element] of Object.entries(dataset)) {
    if (KEEP_UIDS.has(tag) || profileEntryFor(tag)) continue;
    if (element.vr === 'UI' && element.Value) {
      element.Value = element.Value.map((v) =>
        typeof v === 'string' && v ? replacementUid(v, key) : v,
      );
      delete element._rawValue;
    } else if (element.vr === 'SQ') {
      for (const item of (element.Value ?? []) as DicomDataset[]) replaceUidsInside(item, key);
    }
  }
}

/** The UIDs that identify what the object is, not who it belongs to: never replaced. */
const KEEP_UIDS = new Set(['00080016', '00020002', '00020010', '00020012', '00081150', '0040A170']);

function cleanDataset(dataset: DicomDataset, options: DeidentifyOptions): void {
  for (const tag of Object.keys(dataset)) {
    const element = dataset[tag]!;
    const group = parseInt(tag.slice(0, 4), 16);
    if (group % 2 === 1) {
      delete dataset[tag]; // private attributes: X (no retain-safe-private option)
      continue;
    }
    const entry = profileEntryFor(tag);
    if (!entry) {
      if (element.vr === 'SQ')
        for (const item of (element.Value ?? []) as DicomDataset[]) cleanDataset(item, options);
      continue;
    }
    if (entry.longitudinalDate && options.retainLongitudinalFullDates) continue;
    const action = resolveAction(entry.action);
    switch (action) {
      case 'X':
        delete dataset[tag];
        break;
      case 'Z':
        dataset[tag] = { vr: element.vr, Value: [] };
        break;
      case 'D':
        if (element.vr === 'SQ')
          for (const item of (element.Value ?? []) as DicomDataset[]) cleanDataset(item, options);
        else dataset[tag] = { vr: element.vr, Value: dummyValue(element.vr) };
        break;
      case 'U':
        if (!KEEP_UIDS.has(tag))
          dataset[tag] = {
            vr: element.vr,
            Value: (element.Value ?? []).map((v) =>
              typeof v === 'string' && v ? replacementUid(v, options.uidKey) : v,
            ),
          };
        break;
      case 'U*':
        for (const item of (element.Value ?? []) as DicomDataset[]) {
          cleanDataset(item, options);
          replaceUidsInside(item, options.uidKey);
        }
        break;
      case 'K':
        break;
    }
  }
}

/** Records what was done (PS3.15 E.1.1; PS3.16 CID 7050 codes). */
function markDeidentified(dataset: DicomDataset, options: DeidentifyOptions): void {
  const codes = [
    {
      CodeValue: '113100',
      CodingSchemeDesignator: 'DCM',
      CodeMeaning: 'Basic Application Confidentiality Profile',
    },
  ];
  if (options.retainLongitudinalFullDates) {
    codes.push({
      CodeValue: '113106',
      CodingSchemeDesignator: 'DCM',
      CodeMeaning: 'Retain Longitudinal Temporal Information Full Dates Option',
    });
  }
  dataset['00120062'] = { vr: 'CS', Value: ['YES'] };
  dataset['00120063'] = { vr: 'LO', Value: codes.map((c) => c.CodeMeaning.slice(0, 64)) };
  dataset['00120064'] = {
    vr: 'SQ',
    Value: codes.map((c) => ({
      '00080100': { vr: 'SH', Value: [c.CodeValue] },
      '00080102': { vr: 'SH', Value: [c.CodingSchemeDesignator] },
      '00080104': { vr: 'LO', Value: [c.CodeMeaning] },
    })),
  };
  dataset['00280303'] = {
    vr: 'CS',
    Value: [options.retainLongitudinalFullDates ? 'UNMODIFIED' : 'REMOVED'],
  };
  if (options.pseudonym) {
    dataset['00100020'] = { vr: 'LO', Value: [options.pseudonym.patientId] };
    dataset['00100010'] = { vr: 'PN', Value: [{ Alphabetic: options.pseudonym.patientName }] };
  }
}

export function deidentifyDicom(
  bytes: Uint8Array,
  options: DeidentifyOptions,
  fileName = 'file',
): Uint8Array {
  let message: { meta: DicomDataset; dict: DicomDataset; write(): ArrayBuffer };
  // Text is decoded here with the original character set and written as UTF-8 (utf8-text.ts).
  const prepared = prepareForDcmjs(bytes, fileName);
  try {
    const source = prepared?.bytes ?? bytes;
    const buffer = source.buffer.slice(
      source.byteOffset,
      source.byteOffset + source.byteLength,
    ) as ArrayBuffer;
    message = dcmjs.data.DicomMessage.readFile(buffer, { ignoreErrors: false }) as typeof message;
  } catch (error) {
    throw new DicomError(
      'DICOM_PARSE_FAILED',
      `cannot de-identify: the file could not be read for rewriting (${(error as Error).message})`,
      fileName,
    );
  }
  if (prepared) decodeTextValues(message.dict, prepared.parsed);
  cleanDataset(message.dict, options);
  markDeidentified(message.dict, options);
  declareUtf8(message.dict);
  const sop = message.dict['00080018']?.Value?.[0];
  if (typeof sop === 'string') message.meta['00020003'] = { vr: 'UI', Value: [sop] };
  return new Uint8Array(message.write());
}
