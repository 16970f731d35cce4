/**
 * The Image Pixel Module (PS3.3 C.7.6.3): how many rows, columns, samples and bits a
 * frame has. Checked before any decoding so that a bad header gives an error that names
 * the attribute, not an out-of-range read later.
 */
import { readIntegerString, readString, readUint16, Tag } from './attributes.ts';
import { DicomError } from './errors.ts';
import type { ParsedDicom } from './parse.ts';

export interface ImagePixelModule {
  rows: number;
  columns: number;
  samplesPerPixel: number;
  bitsAllocated: number;
  bitsStored: number;
  highBit: number;
  pixelRepresentation: 0 | 1;
  planarConfiguration: 0 | 1;
  photometric: string;
  frames: number;
}

function required(parsed: ParsedDicom, tag: string, name: string): number {
  const value = readUint16(parsed.dataSet, tag);
  if (value === undefined) {
    throw new DicomError(
      'DICOM_MISSING_ATTRIBUTE',
      `${name} (${tag.slice(1, 5)},${tag.slice(5)}) is missing`,
      parsed.fileName,
    );
  }
  return value;
}

export function readImagePixelModule(parsed: ParsedDicom): ImagePixelModule {
  const { dataSet, fileName } = parsed;
  if (!dataSet.elements[Tag.PixelData]) {
    throw new DicomError(
      'DICOM_NO_PIXEL_DATA',
      'no Pixel Data (7FE0,0010): this object is not an image',
      fileName,
    );
  }
  const rows = required(parsed, Tag.Rows, 'Rows');
  const columns = required(parsed, Tag.Columns, 'Columns');
  const bitsAllocated = required(parsed, Tag.BitsAllocated, 'Bits Allocated');
  const samplesPerPixel = readUint16(dataSet, Tag.SamplesPerPixel) ?? 1;
  const bitsStored = readUint16(dataSet, Tag.BitsStored) ?? bitsAllocated;
  const highBit = readUint16(dataSet, Tag.HighBit) ?? bitsStored - 1;
  const pixelRepresentation = readUint16(dataSet, Tag.PixelRepresentation) ?? 0;
  const planarConfiguration = readUint16(dataSet, Tag.PlanarConfiguration) ?? 0;
  const photometric =
    readString(dataSet, Tag.PhotometricInterpretation).toUpperCase() ||
    (samplesPerPixel === 3 ? 'RGB' : 'MONOCHROME2');
  const framesText = readString(dataSet, Tag.NumberOfFrames);
  const frames = framesText === '' ? 1 : readIntegerString(dataSet, Tag.NumberOfFrames);

  const invalid = (message: string): never => {
    throw new DicomError('DICOM_INVALID_ATTRIBUTE', message, fileName);
  };
  if (rows === 0 || columns === 0)
    invalid(`image size is ${rows}×${columns}: Rows and Columns must be at least 1`);
  if (samplesPerPixel !== 1 && samplesPerPixel !== 3)
    invalid(
      `Samples per Pixel (0028,0002) is ${samplesPerPixel}; only 1 or 3 are defined for these images`,
    );
  if (![1, 8, 16, 32].includes(bitsAllocated))
    invalid(`Bits Allocated (0028,0100) is ${bitsAllocated}; expected 1, 8, 16 or 32`);
  if (bitsStored < 1 || bitsStored > bitsAllocated)
    invalid(`Bits Stored (0028,0101) is ${bitsStored} with Bits Allocated ${bitsAllocated}`);
  if (pixelRepresentation !== 0 && pixelRepresentation !== 1)
    invalid(`Pixel Representation (0028,0103) is ${pixelRepresentation}; must be 0 or 1`);
  if (frames === undefined || frames < 1)
    invalid(`Number of Frames (0028,0008) is "${framesText}", not a positive integer`);

  return {
    rows,
    columns,
    samplesPerPixel,
    bitsAllocated,
    bitsStored,
    highBit,
    pixelRepresentation: pixelRepresentation as 0 | 1,
    planarConfiguration: (planarConfiguration === 1 ? 1 : 0) as 0 | 1,
    photometric,
    frames: frames as number,
  };
}

/**
 * Bytes of one uncompressed frame. 1-bit frames are packed (PS3.5 8.1.1); native
 * YBR_FULL_422 stores two luminance and one pair of chrominance samples per two pixels
 * (PS3.3 C.7.6.3.1.2), so 2 samples a pixel rather than 3.
 */
export function frameByteLength(module: ImagePixelModule): number {
  const perPixel =
    module.photometric === 'YBR_FULL_422' && module.samplesPerPixel === 3
      ? 2
      : module.samplesPerPixel;
  const samples = module.rows * module.columns * perPixel;
  return module.bitsAllocated === 1 ? Math.ceil(samples / 8) : samples * (module.bitsAllocated / 8);
}
