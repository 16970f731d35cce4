/**
 * Reads a DICOM file's bytes into a dicom-parser DataSet, turning every parser failure
 * into a DicomError with a specific code. Files without the Part 10 preamble (legacy,
 * "no meta") are read as Implicit VR Little Endian, the default transfer syntax
 * (PS3.5 10.1), when their first bytes look like a group 0x0008 element.
 */
import { inflateRawSync } from 'node:zlib';
import dicomParser, { type DataSet as ParserDataSet, type ParseDicomOptions } from './dicom-parser-module.ts';
import { DicomError } from './errors.ts';
import { TransferSyntax } from './uids.ts';

export type DataSet = ParserDataSet;

export interface ParsedDicom {
  dataSet: DataSet;
  transferSyntaxUid: string;
  /** True when the file had the 128-byte preamble, "DICM" and a file meta group. */
  hasFileMeta: boolean;
  fileName: string;
  byteLength: number;
}

const PREAMBLE_LENGTH = 128;

function hasDicmPrefix(bytes: Uint8Array): boolean {
  return (
    bytes.length >= PREAMBLE_LENGTH + 4 &&
    bytes[128] === 0x44 && bytes[129] === 0x49 && bytes[130] === 0x43 && bytes[131] === 0x4d
  );
}

/** A raw data set normally starts with a group 0x0008 (or 0x0002) tag, little endian. */
function looksLikeRawLittleEndianDataSet(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && bytes[1] === 0x00 && (bytes[0] === 0x08 || bytes[0] === 0x02);
}

function inflateDeflatedDataSet(bytes: Uint8Array, position: number): Uint8Array {
  let inflated: Buffer;
  try {
    inflated = inflateRawSync(bytes.subarray(position));
  } catch (error) {
    throw new DicomError('DICOM_PARSE_FAILED', `deflated data set at offset ${position} does not inflate: ${(error as Error).message}`);
  }
  const whole = new Uint8Array(position + inflated.length);
  whole.set(bytes.subarray(0, position), 0);
  whole.set(inflated, position);
  return whole;
}

function parserMessage(error: unknown): string {
  if (typeof error === 'string') return error.replace(/^dicomParser\.\w+: /, '');
  if (error instanceof Error) return error.message.replace(/^dicomParser\.\w+: /, '');
  return String(error);
}

export function parseDicomBytes(bytes: Uint8Array, fileName: string): ParsedDicom {
  const hasFileMeta = hasDicmPrefix(bytes);
  if (!hasFileMeta && !looksLikeRawLittleEndianDataSet(bytes)) {
    throw new DicomError(
      'DICOM_NOT_DICOM',
      bytes.length < PREAMBLE_LENGTH + 4
        ? `not a DICOM file: only ${bytes.length} bytes and no "DICM" prefix`
        : 'not a DICOM file: no "DICM" prefix at offset 128 and no data set at offset 0',
      fileName,
    );
  }
  const options: ParseDicomOptions = { inflater: inflateDeflatedDataSet };
  if (!hasFileMeta) options.TransferSyntaxUID = TransferSyntax.ImplicitVRLittleEndian;

  let dataSet: DataSet;
  try {
    dataSet = dicomParser.parseDicom(bytes, options);
  } catch (error) {
    if (error instanceof DicomError) throw new DicomError(error.code, error.message, fileName);
    const inner = (error as { exception?: unknown })?.exception ?? error;
    const message = parserMessage(inner);
    if (/missing required meta header attribute 0002,0010/.test(message)) {
      throw new DicomError('DICOM_MISSING_TRANSFER_SYNTAX', 'file meta information lacks Transfer Syntax UID (0002,0010)', fileName);
    }
    const truncated = /buffer overread|attempt to read past end|beyond end|past the end|overrun/i.test(message);
    throw new DicomError(truncated ? 'DICOM_TRUNCATED' : 'DICOM_PARSE_FAILED', `${truncated ? 'file is truncated' : 'cannot parse data set'}: ${message}`, fileName);
  }
  const transferSyntaxUid = (dataSet.string('x00020010') ?? TransferSyntax.ImplicitVRLittleEndian).replace(/\0/g, '').trim();
  return { dataSet, transferSyntaxUid, hasFileMeta, fileName, byteLength: bytes.length };
}
