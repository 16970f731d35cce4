/**
 * dicom-parser ships as UMD: Node's ESM loader exposes it only as a default export, while
 * bundlers expose named exports. This gives every caller the same object either way.
 */
import * as namespace from 'dicom-parser';

type DicomParser = typeof namespace;
const dicomParser: DicomParser =
  (namespace as unknown as { default?: DicomParser }).default ?? namespace;

export default dicomParser;
export type { DataSet, Element, ParseDicomOptions } from 'dicom-parser';
