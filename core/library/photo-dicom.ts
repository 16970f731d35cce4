// Ambient types for dcmjs, visible to every tsconfig that reaches this file.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="../dicom/deidentify/dcmjs-module.d.ts" />
/**
 * A photo export as a DICOM object, so that exchange, de-identification, SR references,
 * the worklist and analysis treat it as any DICOM image:
 *   a fundus photo → Ophthalmic Photography 8 Bit Image (PS3.3 A.39.1), Modality OP, with
 *                    Image Laterality R/L (Ocular Region Imaged Module, C.8.17.3);
 *   anything else  → VL Photographic Image (A.33.4), Modality XC, with the anatomy imaged.
 * A baseline JPEG keeps its codestream (JPEG Baseline transfer syntax, no recompression;
 * jpeg-codestream.ts drops only metadata segments); any other photo is stored losslessly
 * as its decoded 8-bit pixels (Explicit VR Little Endian).
 *
 * The object is a pure function of the photo and its metadata: UIDs are derived from the
 * photo's SHA-256 (SOP instance) and from patient and date (study), so the same photo with
 * the same details always gives the same bytes — a second import is a duplicate, and the
 * same photo given another patient or eye keeps its SOP Instance UID, which the library
 * flags as a conflict. Both eyes of one infant on one date share a study: one visit.
 *
 * The original file's SHA-256 is kept in a private data element, (0011,xx10) LO in the
 * block reserved by Private Creator "NEOSCOPE PHOTO 1" at (0011,0010). PS3.5 7.8.1 gives
 * private blocks exactly this role — implementation-specific information the standard has
 * no attribute for; none of the standard provenance attributes (Source Image Sequence,
 * Derivation Description) is meant for a non-DICOM file's digest, and a camera export is
 * not a derived image. De-identification removes it with every private attribute (PS3.15
 * E.3.10 is not claimed): a digest of the site's original file is a key back to it.
 */
import { createHash } from 'node:crypto';
import dcmjs from 'dcmjs';
import sharp from 'sharp';
import { TransferSyntax } from '../dicom/uids.ts';
import { uidFromContent } from '../reports/dicom-uid.ts';
import { IMPLEMENTATION_CLASS_UID } from '../reports/structured-report.ts';
import { ImportError } from './import-errors.ts';
import { baselineCodestream, type BaselineJpeg } from './jpeg-codestream.ts';
import type { PhotoFacts } from './photo-facts.ts';

export const OPHTHALMIC_PHOTOGRAPHY_8BIT = '1.2.840.10008.5.1.4.1.1.77.1.5.1';
export const VL_PHOTOGRAPHIC = '1.2.840.10008.5.1.4.1.1.77.1.4';
export const PHOTO_PRIVATE_CREATOR = 'NEOSCOPE PHOTO 1';
/** Group 0011, block 10: the creator at (0011,0010), the digest at (0011,1010). */
const PRIVATE_CREATOR_TAG = '00110010';
const ORIGINAL_SHA256_TAG = '00111010';

export interface PhotoObject {
  bytes: Uint8Array;
  sopClassUid: string;
  sopInstanceUid: string;
  transferSyntaxUid: string;
  /** SHA-256 of the photo file as received, also written at (0011,1010). */
  originalSha256: string;
  /** How the pixels were stored: the camera's codestream, or decoded values. */
  encoding: 'jpeg-baseline' | 'native';
}

interface StoredPixels {
  transferSyntaxUid: string;
  rows: number;
  columns: number;
  samplesPerPixel: 1 | 3;
  photometric: string;
  /** One frame: the codestream (encapsulated) or the native values. */
  frame: Uint8Array;
  lossy: boolean;
  iccProfile?: Uint8Array;
}

const code = (value: string, scheme: string, meaning: string) => ({
  CodeValue: value,
  CodingSchemeDesignator: scheme,
  CodeMeaning: meaning,
});

// SNOMED CT codes from CID 4209 (Ophthalmic Anatomic Structure Imaged), CID 4202
// (Ophthalmic Image Acquisition Device) and CID 4031 (Common Anatomic Regions).
const RETINA = code('5665001', 'SCT', 'Retina');
const FUNDUS_CAMERA = code('409898007', 'SCT', 'Fundus Camera');
const CHEST = code('51185008', 'SCT', 'Chest');

function missing(facts: PhotoFacts): string[] {
  const { metadata } = facts;
  const needs: string[] = [];
  if (!metadata.patientId) needs.push('a patient id');
  if (!metadata.examDate) needs.push('an exam date');
  if (metadata.domain === 'retina' && !metadata.eye) needs.push('an eye (OD/OS)');
  return needs;
}

async function nativePixels(bytes: Uint8Array, fileName: string): Promise<StoredPixels> {
  const info = await sharp(bytes).metadata();
  const grey = info.space === 'b-w' || info.space === 'grey16';
  // The stored values are kept as they are, their colour profile beside them (ICC Profile),
  // rather than converted through it.
  const { data, info: out } = await sharp(bytes, { ignoreIcc: true })
    .rotate() // EXIF orientation applied: the object has no other way to carry it
    .removeAlpha()
    .toColourspace(grey ? 'b-w' : 'srgb')
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  if (out.channels !== 1 && out.channels !== 3)
    throw new ImportError(
      'IMPORT_PHOTO_UNSUPPORTED',
      `photo decodes to ${out.channels} channels; grey or RGB photos can be imported`,
      fileName,
    );
  return {
    transferSyntaxUid: TransferSyntax.ExplicitVRLittleEndian,
    rows: out.height,
    columns: out.width,
    samplesPerPixel: out.channels,
    photometric: out.channels === 1 ? 'MONOCHROME2' : 'RGB',
    frame: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    lossy: false,
    ...(info.icc && out.channels === 3 ? { iccProfile: new Uint8Array(info.icc) } : {}),
  };
}

function jpegPixels(jpeg: BaselineJpeg): StoredPixels {
  return {
    transferSyntaxUid: TransferSyntax.JPEGBaseline,
    rows: jpeg.height,
    columns: jpeg.width,
    samplesPerPixel: jpeg.components,
    photometric: jpeg.photometric,
    frame: jpeg.codestream,
    lossy: true,
    ...(jpeg.iccProfile ? { iccProfile: jpeg.iccProfile } : {}),
  };
}

/** LO holds 64 characters (PS3.5 6.2). */
const lo = (text: string | undefined) => (text ?? '').slice(0, 64);

function dataset(facts: PhotoFacts, pixels: StoredPixels, sha256: string) {
  const m = facts.metadata;
  const fundus = m.domain === 'retina';
  const sopClassUid = fundus ? OPHTHALMIC_PHOTOGRAPHY_8BIT : VL_PHOTOGRAPHIC;
  const sopInstanceUid = uidFromContent(`neoscope-photo:${sha256}`);
  const studyInstanceUid = uidFromContent(`neoscope-photo-study:${m.patientId}|${m.examDate}`);
  const seriesInstanceUid = uidFromContent(
    `neoscope-photo-series:${studyInstanceUid}|${m.domain}|${m.eye ?? ''}|${m.device ?? ''}`,
  );
  const date = m.examDate!;
  const time = m.examTime ?? '';
  // Content Time is Type 1 in both IODs; an export that says only the day gets midnight.
  const contentTime = time || '000000';
  // EXIF names maker and model apart; a device typed in a sidecar or form is the model.
  const fromExif = facts.sources.device === 'EXIF';
  const manufacturer = fromExif ? facts.exif.make : undefined;
  const model = fromExif ? facts.exif.model : m.device;
  const uncompressed = pixels.rows * pixels.columns * pixels.samplesPerPixel;
  const ds: Record<string, unknown> = {
    SpecificCharacterSet: 'ISO_IR 192',
    ImageType: ['ORIGINAL', 'PRIMARY'],
    SOPClassUID: sopClassUid,
    SOPInstanceUID: sopInstanceUid,
    StudyDate: date,
    ContentDate: date,
    StudyTime: time,
    ContentTime: contentTime,
    AcquisitionDateTime: `${date}${time}`, // DT may stop at the day (PS3.5 6.2)
    AccessionNumber: '',
    Modality: fundus ? 'OP' : 'XC',
    Manufacturer: lo(manufacturer),
    ReferringPhysicianName: '',
    StudyDescription: fundus
      ? 'Fundus photography'
      : `${m.domain === 'chest' ? 'Chest' : 'Clinical'} photograph`,
    SeriesDescription: fundus ? `Fundus ${m.eye}` : 'Imported photograph',
    ManufacturerModelName: lo(model),
    // As written: "Family^Given" from a sidecar stays so; free text is not split by guesswork.
    PatientName: lo(m.patientName?.trim()),
    PatientID: lo(m.patientId),
    PatientBirthDate: m.birthDate ?? '',
    PatientSex: '',
    BodyPartExamined: fundus ? 'EYE' : m.domain === 'chest' ? 'CHEST' : '',
    StudyInstanceUID: studyInstanceUid,
    SeriesInstanceUID: seriesInstanceUid,
    StudyID: '',
    SeriesNumber: 1,
    InstanceNumber: 1,
    PatientOrientation: '',
    AnatomicRegionSequence: fundus ? [RETINA] : m.domain === 'chest' ? [CHEST] : [],
    AcquisitionContextSequence: [],
    SamplesPerPixel: pixels.samplesPerPixel,
    PhotometricInterpretation: pixels.photometric,
    ...(pixels.samplesPerPixel === 3 ? { PlanarConfiguration: 0 } : {}),
    Rows: pixels.rows,
    Columns: pixels.columns,
    BitsAllocated: 8,
    BitsStored: 8,
    HighBit: 7,
    PixelRepresentation: 0,
    // A camera's export setting decides whether it draws text into the picture; the import
    // cannot see that, and records what exports are normally set to: no text.
    BurnedInAnnotation: 'NO',
    LossyImageCompression: pixels.lossy ? '01' : '00',
    ...(pixels.lossy
      ? {
          LossyImageCompressionRatio: (uncompressed / pixels.frame.length).toFixed(2),
          LossyImageCompressionMethod: 'ISO_10918_1',
        }
      : {}),
    ...(pixels.iccProfile ? { ICCProfile: pixels.iccProfile.slice().buffer } : {}),
    PixelData: [pixels.frame.slice().buffer],
    _vrMap: { PixelData: 'OB' },
  };
  if (fundus) {
    Object.assign(ds, {
      ImageLaterality: m.eye === 'OD' ? 'R' : 'L',
      ...(pixels.photometric === 'MONOCHROME2' ? { PresentationLUTShape: 'IDENTITY' } : {}),
      // Ophthalmic Photography Acquisition Parameters (C.8.17.4): not known from an export.
      PatientEyeMovementCommanded: '',
      HorizontalFieldOfView: [],
      RefractiveStateSequence: [],
      EmmetropicMagnification: [],
      IntraOcularPressure: [],
      PupilDilated: '',
      // Multi-frame (C.7.6.6) is mandatory for OP, one frame or many: the pointer names
      // Frame Time, as cameras that write OP do; a still has none to speak of.
      NumberOfFrames: 1,
      FrameIncrementPointer: 0x00181063,
      FrameTime: 0,
      // Synchronization (C.7.4.2): a single photo, synchronised with nothing.
      SynchronizationFrameOfReferenceUID: uidFromContent(`neoscope-photo-sync:${sha256}`),
      SynchronizationTrigger: 'NO TRIGGER',
      AcquisitionTimeSynchronized: 'N',
      // Ophthalmic Photographic Parameters (C.8.17.5).
      AcquisitionDeviceTypeCodeSequence: [FUNDUS_CAMERA],
      IlluminationTypeCodeSequence: [],
      LightPathFilterTypeStackCodeSequence: [],
      ImagePathFilterTypeStackCodeSequence: [],
      LensesCodeSequence: [],
      DetectorType: '',
    });
  }
  return { ds, sopClassUid, sopInstanceUid };
}

export async function photoToDicom(bytes: Uint8Array, facts: PhotoFacts): Promise<PhotoObject> {
  const needs = missing(facts);
  if (needs.length)
    throw new ImportError(
      'IMPORT_PHOTO_METADATA_MISSING',
      `${facts.metadata.domain === 'retina' ? 'fundus photo' : 'photo'} lacks ${needs.join(', ')}: add a row to a sidecar CSV (file, patient_id, eye, exam_date) or fill in the import form`,
      facts.fileName,
    );
  if (facts.bitsPerSample !== 8)
    throw new ImportError(
      'IMPORT_PHOTO_UNSUPPORTED',
      `photo has ${facts.bitsPerSample}-bit samples; photos are imported at 8 bits a sample, and reducing this one would lose detail`,
      facts.fileName,
    );
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const jpeg =
    facts.format === 'jpeg' && facts.orientation === 1 ? baselineCodestream(bytes) : undefined;
  const pixels = jpeg ? jpegPixels(jpeg) : await nativePixels(bytes, facts.fileName);
  const { ds, sopClassUid, sopInstanceUid } = dataset(facts, pixels, sha256);
  const meta = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: sopClassUid,
    MediaStorageSOPInstanceUID: sopInstanceUid,
    TransferSyntaxUID: pixels.transferSyntaxUid,
    ImplementationClassUID: IMPLEMENTATION_CLASS_UID,
    ImplementationVersionName: 'NEOSCOPE',
  };
  const dict = new dcmjs.data.DicomDict(dcmjs.data.DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = {
    ...dcmjs.data.DicomMetaDictionary.denaturalizeDataset(ds),
    [PRIVATE_CREATOR_TAG]: { vr: 'LO', Value: [PHOTO_PRIVATE_CREATOR] },
    [ORIGINAL_SHA256_TAG]: { vr: 'LO', Value: [sha256] },
  };
  // One fragment per frame (PS3.5 A.4): the codestream stays whole.
  const write = dict.write as (options: { fragmentMultiframe: boolean }) => ArrayBuffer;
  return {
    bytes: new Uint8Array(write.call(dict, { fragmentMultiframe: false })),
    sopClassUid,
    sopInstanceUid,
    transferSyntaxUid: pixels.transferSyntaxUid,
    originalSha256: sha256,
    encoding: jpeg ? 'jpeg-baseline' : 'native',
  };
}
