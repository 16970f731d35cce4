/**
 * Everything a viewport needs to draw one frame: stored values (or RGB), the modality
 * LUT's slope/intercept (PS3.3 C.11.1), the first VOI window (C.11.2) and the spacing
 * with the attribute it came from, so the UI can say whether distances are calibrated.
 */
import type { DecodedFrame } from '../api/schemas.ts';
import { readDecimal, Tag } from './attributes.ts';
import { planarToInterleaved, toDisplayRgb, ybr422ToYbrFull } from './colour.ts';
import type { DecodeWarning } from './codecs/index.ts';
import { decodeFrameBytes } from './decode.ts';
import { readImagePixelModule } from './image-pixel-module.ts';
import type { ParsedDicom } from './parse.ts';
import { toStoredValues, valueRange } from './stored-values.ts';

function readSpacing(parsed: ParsedDicom): DecodedFrame['spacing'] {
  const sources = [
    ['PixelSpacing', Tag.PixelSpacing],
    ['ImagerPixelSpacing', Tag.ImagerPixelSpacing],
    ['NominalScannedPixelSpacing', Tag.NominalScannedPixelSpacing],
  ] as const;
  for (const [source, tag] of sources) {
    const row = readDecimal(parsed.dataSet, tag, 0);
    const column = readDecimal(parsed.dataSet, tag, 1);
    if (row && column && row > 0 && column > 0) return { row, column, source };
  }
  return undefined;
}

export async function buildDisplayFrame(parsed: ParsedDicom, instanceId: string, frame: number, warn?: (warning: DecodeWarning) => void): Promise<DecodedFrame> {
  const module = readImagePixelModule(parsed);
  const bytes = await decodeFrameBytes(parsed, module, frame, warn);
  const base = { instanceId, frame, rows: module.rows, columns: module.columns, spacing: readSpacing(parsed) };
  const pixelCount = module.rows * module.columns;

  if (module.samplesPerPixel === 3) {
    let interleaved = module.planarConfiguration === 1 ? planarToInterleaved(bytes, pixelCount) : bytes;
    const nativeSubsampled = module.photometric === 'YBR_FULL_422' && bytes.length === pixelCount * 2;
    if (nativeSubsampled) interleaved = ybr422ToYbrFull(bytes, pixelCount);
    const rgb = toDisplayRgb(interleaved, module.photometric, parsed.fileName);
    return { ...base, samplesPerPixel: 3, photometric: 'RGB', bitsStored: 8, pixels: rgb, minValue: 0, maxValue: 255, rescaleSlope: 1, rescaleIntercept: 0 };
  }

  const pixels = toStoredValues(bytes, module);
  const { min, max } = valueRange(pixels);
  const windowCenter = readDecimal(parsed.dataSet, Tag.WindowCenter);
  const windowWidth = readDecimal(parsed.dataSet, Tag.WindowWidth);
  return {
    ...base,
    samplesPerPixel: 1,
    photometric: module.photometric,
    bitsStored: module.bitsStored,
    pixels,
    minValue: min,
    maxValue: max,
    rescaleSlope: readDecimal(parsed.dataSet, Tag.RescaleSlope) ?? 1,
    rescaleIntercept: readDecimal(parsed.dataSet, Tag.RescaleIntercept) ?? 0,
    windowCenter,
    windowWidth: windowWidth && windowWidth > 0 ? windowWidth : undefined,
  };
}
