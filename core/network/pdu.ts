/**
 * The DICOM upper-layer PDU vocabulary the guard needs (PS3.8 §9.3): the PDU types, the
 * 6-byte header every PDU starts with, and the two PDUs the guard itself sends, A-ABORT
 * and A-ASSOCIATE-RJ. Bytes only: no parsing of PDU bodies.
 */

/** PDU types, PS3.8 §9.3.1 (table 9-11). */
export const PduType = {
  AssociateRq: 0x01,
  AssociateAc: 0x02,
  AssociateRj: 0x03,
  PDataTf: 0x04,
  ReleaseRq: 0x05,
  ReleaseRp: 0x06,
  Abort: 0x07,
} as const;

/** Every PDU: type (1 byte), reserved (1), length of what follows (4, big endian); PS3.8 §9.3.1. */
export const PDU_HEADER_BYTES = 6;

export function isKnownPduType(type: number): boolean {
  return type >= PduType.AssociateRq && type <= PduType.Abort;
}

export function pduName(type: number): string {
  const names: Record<number, string> = {
    1: 'A-ASSOCIATE-RQ',
    2: 'A-ASSOCIATE-AC',
    3: 'A-ASSOCIATE-RJ',
    4: 'P-DATA-TF',
    5: 'A-RELEASE-RQ',
    6: 'A-RELEASE-RP',
    7: 'A-ABORT',
  };
  return names[type] ?? `unknown PDU type 0x${type.toString(16).padStart(2, '0')}`;
}

/** A-ABORT source, PS3.8 §9.3.8 (table 9-26). */
export const AbortSource = { ServiceUser: 0, ServiceProvider: 2 } as const;

/** A-ABORT reason/diag when the source is the service provider, PS3.8 §9.3.8. */
export const AbortReason = {
  NotSpecified: 0,
  UnrecognizedPdu: 1,
  UnexpectedPdu: 2,
  UnrecognizedPduParameter: 4,
  UnexpectedPduParameter: 5,
  InvalidPduParameterValue: 6,
} as const;

/** A-ABORT PDU, PS3.8 §9.3.8: type 07, length 4, two reserved bytes, source, reason/diag. */
export function abortPdu(source: number, reason: number): Buffer {
  return Buffer.from([PduType.Abort, 0, 0, 0, 0, 4, 0, 0, source, reason]);
}

/** A-ASSOCIATE-RJ result, source and reason, PS3.8 §9.3.4 (table 9-21). */
export const RejectResult = { Permanent: 1, Transient: 2 } as const;
export const RejectSource = {
  ServiceUser: 1,
  ServiceProviderAcse: 2,
  ServiceProviderPresentation: 3,
} as const;
/** Reasons when the source is the presentation service provider. */
export const RejectReason = { TemporaryCongestion: 1, LocalLimitExceeded: 2 } as const;

/** A-ASSOCIATE-RJ PDU, PS3.8 §9.3.4: type 03, length 4, reserved, result, source, reason/diag. */
export function associateRjPdu(result: number, source: number, reason: number): Buffer {
  return Buffer.from([PduType.AssociateRj, 0, 0, 0, 0, 4, 0, result, source, reason]);
}
