/**
 * A Secondary Capture (PS3.3 A.8.1) of an image with its AI overlay burnt in, in the
 * original study, so a PACS viewer without NeoScope shows what the reader saw. RGB, 8 bit,
 * explicit VR little endian; the source image is referenced and the overlay's model named.
 */
import { newUid } from './dicom-uid.ts';
import {
  patientAndStudy,
  personName,
  writeDicomFile,
  type StudyContext,
} from './structured-report.ts';

const SECONDARY_CAPTURE = '1.2.840.10008.5.1.4.1.1.7';

export interface CaptureImage {
  width: number;
  height: number;
  /** Interleaved RGB, width × height × 3 bytes. */
  rgb: Uint8Array;
  description: string;
  /** The DICOM image it was made from; absent for a photo export, which has no DICOM identity. */
  source?: { sopClassUid: string; sopInstanceUid: string };
}

export function buildSecondaryCapture(
  capture: CaptureImage,
  study: StudyContext,
  options: { operator: string; seriesInstanceUid?: string; instanceNumber?: number; when?: Date },
): Uint8Array {
  if (capture.rgb.length !== capture.width * capture.height * 3)
    throw new Error(
      `capture has ${capture.rgb.length} bytes; ${capture.width}×${capture.height} RGB needs ${capture.width * capture.height * 3}`,
    );
  const sopInstanceUid = newUid();
  const when = (options.when ?? new Date()).toISOString();
  const date = when.slice(0, 10).replace(/-/g, '');
  const time = when.slice(11, 19).replace(/:/g, '');
  // Pixel Data must have an even length; pad with one zero byte if needed.
  const pixels = new Uint8Array(capture.rgb.length + (capture.rgb.length % 2));
  pixels.set(capture.rgb);
  const dataset: Record<string, unknown> = {
    SOPClassUID: SECONDARY_CAPTURE,
    SOPInstanceUID: sopInstanceUid,
    SpecificCharacterSet: 'ISO_IR 192',
    SeriesInstanceUID: options.seriesInstanceUid ?? newUid(),
    Modality: 'OT',
    SeriesNumber: 950,
    InstanceNumber: options.instanceNumber ?? 1,
    SeriesDescription: 'NeoScope AI overlays',
    Laterality: study.laterality ?? '', // type 2C: eyes are paired; empty when not known
    ...patientAndStudy(study),
    OperatorsName: personName(options.operator),
    ConversionType: 'WSD',
    Manufacturer: 'NeoScope',
    ContentDate: date,
    ContentTime: time,
    InstanceCreationDate: date,
    InstanceCreationTime: time,
    DerivationDescription: capture.description.slice(0, 1024),
    ImageType: ['DERIVED', 'SECONDARY'],
    BurnedInAnnotation: 'YES',
    PatientOrientation: '',
    ...(capture.source
      ? {
          SourceImageSequence: [
            {
              ReferencedSOPClassUID: capture.source.sopClassUid,
              ReferencedSOPInstanceUID: capture.source.sopInstanceUid,
            },
          ],
        }
      : {}),
    SamplesPerPixel: 3,
    PhotometricInterpretation: 'RGB',
    PlanarConfiguration: 0,
    Rows: capture.height,
    Columns: capture.width,
    BitsAllocated: 8,
    BitsStored: 8,
    HighBit: 7,
    PixelRepresentation: 0,
    PixelData: pixels.buffer,
    _vrMap: { PixelData: 'OB' },
  };
  return writeDicomFile(dataset, SECONDARY_CAPTURE, sopInstanceUid);
}
