/** Transfer syntax UIDs (PS3.6 Annex A) the engine knows by name. */
export const TransferSyntax = {
  ImplicitVRLittleEndian: '1.2.840.10008.1.2',
  ExplicitVRLittleEndian: '1.2.840.10008.1.2.1',
  DeflatedExplicitVRLittleEndian: '1.2.840.10008.1.2.1.99',
  ExplicitVRBigEndian: '1.2.840.10008.1.2.2',
  JPEGBaseline: '1.2.840.10008.1.2.4.50',
  JPEGExtended: '1.2.840.10008.1.2.4.51',
  JPEGLosslessP14: '1.2.840.10008.1.2.4.57',
  JPEGLosslessSV1: '1.2.840.10008.1.2.4.70',
  JPEGLSLossless: '1.2.840.10008.1.2.4.80',
  JPEGLSNearLossless: '1.2.840.10008.1.2.4.81',
  JPEG2000Lossless: '1.2.840.10008.1.2.4.90',
  JPEG2000: '1.2.840.10008.1.2.4.91',
  HTJ2KLossless: '1.2.840.10008.1.2.4.201',
  HTJ2KLosslessRPCL: '1.2.840.10008.1.2.4.202',
  HTJ2K: '1.2.840.10008.1.2.4.203',
  RLELossless: '1.2.840.10008.1.2.5',
} as const;

const NAMES: Record<string, string> = {
  [TransferSyntax.ImplicitVRLittleEndian]: 'Implicit VR Little Endian',
  [TransferSyntax.ExplicitVRLittleEndian]: 'Explicit VR Little Endian',
  [TransferSyntax.DeflatedExplicitVRLittleEndian]: 'Deflated Explicit VR Little Endian',
  [TransferSyntax.ExplicitVRBigEndian]: 'Explicit VR Big Endian',
  [TransferSyntax.JPEGBaseline]: 'JPEG Baseline (Process 1)',
  [TransferSyntax.JPEGExtended]: 'JPEG Extended (Process 2 & 4)',
  [TransferSyntax.JPEGLosslessP14]: 'JPEG Lossless (Process 14)',
  [TransferSyntax.JPEGLosslessSV1]: 'JPEG Lossless (Process 14, SV1)',
  [TransferSyntax.JPEGLSLossless]: 'JPEG-LS Lossless',
  [TransferSyntax.JPEGLSNearLossless]: 'JPEG-LS Near-Lossless',
  [TransferSyntax.JPEG2000Lossless]: 'JPEG 2000 Lossless',
  [TransferSyntax.JPEG2000]: 'JPEG 2000',
  [TransferSyntax.HTJ2KLossless]: 'HTJ2K Lossless',
  [TransferSyntax.HTJ2KLosslessRPCL]: 'HTJ2K Lossless RPCL',
  [TransferSyntax.HTJ2K]: 'HTJ2K',
  [TransferSyntax.RLELossless]: 'RLE Lossless',
};

export function transferSyntaxName(uid: string): string {
  return NAMES[uid] ?? `unknown transfer syntax ${uid}`;
}

/** Pixel data stored as plain values (not encapsulated), PS3.5 A.1–A.5. */
export function isNativeTransferSyntax(uid: string): boolean {
  return (
    uid === TransferSyntax.ImplicitVRLittleEndian ||
    uid === TransferSyntax.ExplicitVRLittleEndian ||
    uid === TransferSyntax.DeflatedExplicitVRLittleEndian ||
    uid === TransferSyntax.ExplicitVRBigEndian
  );
}

/** SOP classes of visible-light and ophthalmic photography (PS3.4 B.5). */
export const OphthalmicPhotographySopClasses = new Set([
  '1.2.840.10008.5.1.4.1.1.77.1.5.1', // Ophthalmic Photography 8 Bit
  '1.2.840.10008.5.1.4.1.1.77.1.5.2', // Ophthalmic Photography 16 Bit
  '1.2.840.10008.5.1.4.1.1.77.1.5.7', // Wide Field Ophthalmic Photography Stereographic
  '1.2.840.10008.5.1.4.1.1.77.1.5.8', // Wide Field Ophthalmic Photography 3D
]);
export const VisibleLightPhotographySopClass = '1.2.840.10008.5.1.4.1.1.77.1.4';
export const SecondaryCaptureSopClass = '1.2.840.10008.5.1.4.1.1.7';
