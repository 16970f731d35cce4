/** Real files the fuzzer mutates: small ones covering every transfer syntax we decode. */
import { sharedDataPath } from '../../testing/shared-data.ts';

export const FUZZ_CORPUS = [
  'dicom/pydicom/CT_small.dcm',
  'dicom/pydicom/MR_small_implicit.dcm',
  'dicom/pydicom/MR_small_bigendian.dcm',
  'dicom/pydicom/MR_small_RLE.dcm',
  'dicom/pydicom/MR_small_jp2klossless.dcm',
  'dicom/pydicom/MR_small_jpeg_ls_lossless.dcm',
  'dicom/pydicom/JPEG2000.dcm',
  'dicom/pydicom/JPGExtended.dcm',
  'dicom/pydicom/SC_rgb_rle.dcm',
  'dicom/pydicom/SC_jpeg_no_color_transform.dcm',
  'dicom/pydicom/SC_ybr_full_422_uncompressed.dcm',
  'dicom/pydicom/image_dfl.dcm',
  'dicom/pydicom-data/emri_small.dcm',
  'dicom/pydicom-data/JLSL_16_15_1_1F.dcm',
  'dicom/highdicom/dx_image.dcm',
  'dicom/fo-dicom/GH538-jpeg1.dcm',
  'dicom/dcmjs/sample-op.dcm',
].map((path) => sharedDataPath(path));
