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

const NAMES: Record<string, string> = Object.fromEntries(
  Object.entries(TransferSyntax).map(([name, uid]) => [uid, name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')]),
);

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
