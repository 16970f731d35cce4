/**
 * Finds the compressed bytes of one frame in encapsulated Pixel Data (PS3.5 A.4): with a
 * Basic Offset Table, by its offsets; without one, one fragment per frame when the counts
 * match, else (JPEG family) by locating each frame's SOI marker.
 */
import dicomParser from '../dicom-parser-module.ts';
import { Tag } from '../attributes.ts';
import { DicomError, formatBytes } from '../errors.ts';
import type { ImagePixelModule } from '../image-pixel-module.ts';
import type { ParsedDicom } from '../parse.ts';

export function encapsulatedFrame(
  parsed: ParsedDicom,
  module: ImagePixelModule,
  frame: number,
  isJpegFamily: boolean,
): Uint8Array {
  const { dataSet, fileName } = parsed;
  const element = dataSet.elements[Tag.PixelData]!;
  if (!element.encapsulatedPixelData) {
    throw new DicomError(
      'DICOM_INVALID_ATTRIBUTE',
      `Pixel Data is not encapsulated although the transfer syntax ${parsed.transferSyntaxUid} requires it (PS3.5 A.4)`,
      fileName,
    );
  }
  const fragments = element.fragments ?? [];
  if (!fragments.length)
    throw new DicomError(
      'DICOM_TRUNCATED_PIXEL_DATA',
      'truncated pixel data: the encapsulated Pixel Data has no fragments',
      fileName,
    );
  const end = dataSet.byteArray.length;
  for (const [i, fragment] of fragments.entries()) {
    if (fragment.position + fragment.length > end) {
      throw new DicomError(
        'DICOM_TRUNCATED_PIXEL_DATA',
        `truncated pixel data: fragment ${i + 1} needs ${formatBytes(fragment.length)} bytes at offset ${fragment.position}, the file ends at ${formatBytes(end)}`,
        fileName,
      );
    }
  }
  try {
    if (module.frames === 1)
      return dicomParser.readEncapsulatedPixelDataFromFragments(
        dataSet,
        element,
        0,
        fragments.length,
      );
    if (element.basicOffsetTable?.length)
      return dicomParser.readEncapsulatedImageFrame(dataSet, element, frame);
    if (fragments.length === module.frames)
      return dicomParser.readEncapsulatedPixelDataFromFragments(dataSet, element, frame, 1);
    if (isJpegFamily) {
      const table = dicomParser.createJPEGBasicOffsetTable(dataSet, element);
      if (table.length === module.frames)
        return dicomParser.readEncapsulatedImageFrame(dataSet, element, frame, table);
    }
  } catch (error) {
    throw new DicomError(
      'DICOM_PARSE_FAILED',
      `cannot read frame ${frame} from the encapsulated Pixel Data: ${String((error as Error)?.message ?? error)}`,
      fileName,
    );
  }
  throw new DicomError(
    'DICOM_INVALID_ATTRIBUTE',
    `cannot tell where frame ${frame} starts: ${module.frames} frames in ${fragments.length} fragments and no Basic Offset Table`,
    fileName,
  );
}
