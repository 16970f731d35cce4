/**
 * Reads a DICOM file's bytes into a dicom-parser DataSet, turning every parser failure
 * into a DicomError with a specific code. Files without the Part 10 preamble (legacy,
 * "no meta") are read as Implicit VR Little Endian, the default transfer syntax
 * (PS3.5 10.1), when their first bytes look like a group 0x0008 element.
 */
import { inflateRawSync } from 'node:zlib';
import dicomParser, {
  type DataSet as ParserDataSet,
  type ParseDicomOptions,
} from './dicom-parser-module.ts';
import { inheritCharacterSetsOnDemand } from './charset/dataset-text.ts';
import { DicomError } from './errors.ts';
import { describeTruncation } from './truncation.ts';
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
    bytes[128] === 0x44 &&
    bytes[129] === 0x49 &&
    bytes[130] === 0x43 &&
    bytes[131] === 0x4d
  );
}

const isVrLetters = (a: number | undefined, b: number | undefined) =>
  a !== undefined && b !== undefined && a >= 0x41 && a <= 0x5a && b >= 0x41 && b <= 0x5a;

/**
 * Legacy files without Part 10 meta information start straight with a data set, usually
 * group 0x0008. Its first element tells the encoding: VR letters at offset 4 mean
 * explicit VR; the byte order of the group number tells little or big endian.
 */
function guessRawTransferSyntax(bytes: Uint8Array): string | undefined {
  if (bytes.length < 8) return undefined;
  const littleEndianGroup = bytes[1] === 0x00 && (bytes[0] === 0x08 || bytes[0] === 0x02);
  const bigEndianGroup = bytes[0] === 0x00 && (bytes[1] === 0x08 || bytes[1] === 0x02);
  const explicit = isVrLetters(bytes[4], bytes[5]);
  if (littleEndianGroup)
    return explicit ? TransferSyntax.ExplicitVRLittleEndian : TransferSyntax.ImplicitVRLittleEndian;
  if (bigEndianGroup && explicit) return TransferSyntax.ExplicitVRBigEndian;
  return undefined;
}

function hexBytes(bytes: Uint8Array, count: number): string {
  return [...bytes.subarray(0, count)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
}

function inflateDeflatedDataSet(bytes: Uint8Array, position: number): Uint8Array {
  let inflated: Buffer;
  try {
    inflated = inflateRawSync(bytes.subarray(position));
  } catch (error) {
    throw new DicomError(
      'DICOM_PARSE_FAILED',
      `deflated data set at offset ${position} does not inflate: ${(error as Error).message}`,
    );
  }
  const whole = new Uint8Array(position + inflated.length);
  whole.set(bytes.subarray(0, position), 0);
  whole.set(inflated, position);
  return whole;
}

function metaTransferSyntax(bytes: Uint8Array): string | undefined {
  try {
    return dicomParser.readPart10Header(bytes).string('x00020010')?.replace(/\0/g, '').trim();
  } catch {
    return undefined;
  }
}

function parserMessage(error: unknown): string {
  if (typeof error === 'string') return error.replace(/^dicomParser\.\w+: /, '');
  if (error instanceof Error) return error.message.replace(/^dicomParser\.\w+: /, '');
  return String(error);
}

export function parseDicomBytes(bytes: Uint8Array, fileName: string): ParsedDicom {
  const hasFileMeta = hasDicmPrefix(bytes);
  const rawSyntax = hasFileMeta ? undefined : guessRawTransferSyntax(bytes);
  if (!hasFileMeta && !rawSyntax) {
    throw new DicomError(
      'DICOM_NOT_DICOM',
      bytes.length < 8
        ? `not a DICOM file: only ${bytes.length} bytes`
        : `not a DICOM file: no "DICM" prefix at offset 128, and the first bytes (${hexBytes(bytes, 8)}) do not start a data set`,
      fileName,
    );
  }
  const options: ParseDicomOptions = { inflater: inflateDeflatedDataSet };
  if (rawSyntax) options.TransferSyntaxUID = rawSyntax;

  let dataSet: DataSet;
  try {
    // A view of its own per parse: the data set and all its items carry it as their
    // byteArray, and it is marked with the file's data set so that items find the character
    // set they inherit (dataset-text.ts). The caller's array stays unmarked.
    dataSet = dicomParser.parseDicom(bytes.subarray(0), options);
  } catch (error) {
    if (error instanceof DicomError) throw new DicomError(error.code, error.message, fileName);
    const inner = (error as { exception?: unknown })?.exception ?? error;
    const message = parserMessage(inner);
    if (/missing required meta header attribute 0002,0010/.test(message)) {
      throw new DicomError(
        'DICOM_MISSING_TRANSFER_SYNTAX',
        'file meta information lacks Transfer Syntax UID (0002,0010)',
        fileName,
      );
    }
    if (/overrun|maxPosition|past the end|beyond/i.test(message)) {
      const partial = (error as { dataSet?: DataSet })?.dataSet;
      const syntax =
        rawSyntax ?? metaTransferSyntax(bytes) ?? TransferSyntax.ExplicitVRLittleEndian;
      const specific = describeTruncation(
        bytes,
        partial,
        syntax !== TransferSyntax.ImplicitVRLittleEndian,
        syntax === TransferSyntax.ExplicitVRBigEndian,
        fileName,
      );
      throw (
        specific ??
        new DicomError(
          'DICOM_TRUNCATED',
          'file is truncated: an element runs past the end of the file',
          fileName,
        )
      );
    }
    throw new DicomError('DICOM_PARSE_FAILED', `cannot parse data set: ${message}`, fileName);
  }
  // Sequence items use their parent's Specific Character Set unless they carry their own.
  inheritCharacterSetsOnDemand(dataSet);
  const transferSyntaxUid = (dataSet.string('x00020010') ?? TransferSyntax.ImplicitVRLittleEndian)
    .replace(/\0/g, '')
    .trim();
  return { dataSet, transferSyntaxUid, hasFileMeta, fileName, byteLength: bytes.length };
}
