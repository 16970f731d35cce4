/**
 * Everything a viewport needs to draw one frame: stored values (or RGB), the modality
 * LUT's slope/intercept (PS3.3 C.11.1), the first VOI window (C.11.2) and the spacing
 * with the attribute it came from, so the UI can say whether distances are calibrated.
 */
import type { DecodedFrame } from '../base/schemas.ts';
import { displayInverted, lookup, type LookupTable } from '../imaging/lut.ts';
import { readDecimal, Tag } from './attributes.ts';
import { DicomError } from './errors.ts';
import {
  readModalityLut,
  readPalette,
  readPresentationLutShape,
  readVoiFunction,
  readVoiLuts,
  readWindows,
} from './lut-attributes.ts';
import { planarToInterleaved, toDisplayRgb, ybr422ToYbrFull } from './colour.ts';
import { photometricAfterDecoding, type DecodeWarning } from './codecs/index.ts';
import { decodeFrameBytes } from './decode.ts';
import { describeSpacing } from './describe.ts';
import { readImagePixelModule } from './image-pixel-module.ts';
import type { ParsedDicom } from './parse.ts';
import { toStoredValues, valueRange, type StoredValues } from './stored-values.ts';

/** Spacing by the precedence rule of describe.ts (PS3.3 10.7.1.3), in the contract's shape. */
function readSpacing(parsed: ParsedDicom): DecodedFrame['spacing'] {
  const { spacing } = describeSpacing(parsed);
  return spacing
    ? { row: spacing.rowMm, column: spacing.columnMm, source: spacing.source }
    : undefined;
}

function paletteToRgb(
  stored: ArrayLike<number>,
  palette: NonNullable<ReturnType<typeof readPalette>>,
): Uint8Array {
  const rgb = new Uint8Array(stored.length * 3);
  // 16-bit palette entries keep their high byte for 8-bit display.
  const scale = (table: LookupTable) => (table.bitsPerEntry > 8 ? 1 / 256 : 1);
  const [rs, gs, bs] = [scale(palette.red), scale(palette.green), scale(palette.blue)];
  for (let i = 0; i < stored.length; i++) {
    const v = stored[i]!;
    rgb[i * 3] = Math.floor(lookup(palette.red, v) * rs);
    rgb[i * 3 + 1] = Math.floor(lookup(palette.green, v) * gs);
    rgb[i * 3 + 2] = Math.floor(lookup(palette.blue, v) * bs);
  }
  return rgb;
}

/**
 * Native little endian frames decode to views of the file's bytes (native-frame.ts). A
 * DecodedFrame outlives the decode: it is cached, posted to worker threads and handed to
 * code far from here, so pixels still sharing the file's buffer get one of their own. A
 * write into them then cannot change the file, and a structured clone does not copy the
 * whole file with them.
 */
function apartFromFile<T extends StoredValues>(pixels: T, parsed: ParsedDicom): T {
  return pixels.buffer === parsed.dataSet.byteArray.buffer ? (pixels.slice() as T) : pixels;
}

export async function buildDisplayFrame(
  parsed: ParsedDicom,
  instanceId: string,
  frame: number,
  warn?: (warning: DecodeWarning) => void,
): Promise<DecodedFrame> {
  const module = readImagePixelModule(parsed);
  const bytes = await decodeFrameBytes(parsed, module, frame, warn);
  const ds = parsed.dataSet;
  const base = {
    instanceId,
    frame,
    rows: module.rows,
    columns: module.columns,
    spacing: readSpacing(parsed),
    rescaleSlope: 1,
    rescaleIntercept: 0,
    windows: [],
    voiLuts: [],
    voiFunction: 'LINEAR' as const,
    inverted: false,
  };
  const pixelCount = module.rows * module.columns;
  const colour = (rgb: Uint8Array): DecodedFrame => ({
    ...base,
    samplesPerPixel: 3,
    photometric: 'RGB',
    bitsStored: 8,
    pixels: apartFromFile(rgb, parsed),
    minValue: 0,
    maxValue: 255,
  });

  if (module.samplesPerPixel === 3) {
    let interleaved =
      module.planarConfiguration === 1 ? planarToInterleaved(bytes, pixelCount) : bytes;
    const nativeSubsampled =
      module.photometric === 'YBR_FULL_422' && bytes.length === pixelCount * 2;
    if (nativeSubsampled) interleaved = ybr422ToYbrFull(bytes, pixelCount);
    return colour(
      toDisplayRgb(
        interleaved,
        photometricAfterDecoding(parsed.transferSyntaxUid, module.photometric),
        parsed.fileName,
      ),
    );
  }

  const stored = toStoredValues(bytes, module);
  if (module.photometric === 'PALETTE COLOR') {
    const palette = readPalette(ds);
    if (!palette)
      throw new DicomError(
        'DICOM_MISSING_ATTRIBUTE',
        'PALETTE COLOR image without complete red, green and blue palette descriptors and data (0028,1101-1203)',
        parsed.fileName,
      );
    return colour(paletteToRgb(stored, palette));
  }
  const pixels = apartFromFile(stored, parsed);
  const { min, max } = valueRange(pixels);
  return {
    ...base,
    samplesPerPixel: 1,
    photometric: module.photometric,
    bitsStored: module.bitsStored,
    pixels,
    minValue: min,
    maxValue: max,
    rescaleSlope: readDecimal(ds, Tag.RescaleSlope) ?? 1,
    rescaleIntercept: readDecimal(ds, Tag.RescaleIntercept) ?? 0,
    modalityLut: readModalityLut(ds, module.pixelRepresentation),
    windows: readWindows(ds),
    voiLuts: readVoiLuts(ds, module.pixelRepresentation),
    voiFunction: readVoiFunction(ds),
    inverted: displayInverted(module.photometric, readPresentationLutShape(ds)),
  };
}
