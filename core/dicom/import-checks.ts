/**
 * The checks the library makes before it accepts a DICOM file (core/library/library.ts),
 * for callers that only look at a file, such as `neoscope info`: the data set's warnings,
 * then, for an image, the structural Pixel Data check and a decode of the first frame
 * with the warnings the codecs give. A file the library would refuse gets its refusal
 * with the same code; a file without Pixel Data is described, not refused here.
 */
import { toApiErrorBody } from '../base/errors.ts';
import { Tag } from './attributes.ts';
import { buildDisplayFrame } from './display-frame.ts';
import { readImagePixelModule } from './image-pixel-module.ts';
import type { ParsedDicom } from './parse.ts';
import { checkPixelData } from './pixel-integrity.ts';
import { validateDataSet, type DicomWarning } from './validate.ts';

export interface ImportCheck {
  warnings: DicomWarning[];
  /** Why the library would not import the file; absent when it would. */
  refusal?: DicomWarning;
}

export async function checkAsImport(parsed: ParsedDicom): Promise<ImportCheck> {
  const warnings = validateDataSet(parsed);
  if (!parsed.dataSet.elements[Tag.PixelData]) return { warnings };
  try {
    checkPixelData(parsed, readImagePixelModule(parsed));
    await buildDisplayFrame(parsed, '', 0, (warning) => warnings.push(warning));
    return { warnings };
  } catch (error) {
    const { code, message } = toApiErrorBody(error);
    return { warnings, refusal: { code, message } };
  }
}
