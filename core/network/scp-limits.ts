/**
 * What one peer may cost the SCP before it is cut off. The listener is reachable before
 * any AE title is checked, so every limit here applies to unauthenticated bytes. Tests
 * inject small values; the defaults suit a workstation receiving a few studies at a time.
 */

export interface ScpLimits {
  /**
   * Largest A-ASSOCIATE-RQ accepted (bytes after the 6-byte header). PS3.8 §9.3.2: the
   * request carries AE titles, an application context, up to 128 presentation contexts and
   * user information; real ones are a few KiB.
   */
  maxAssociateRqBytes: number;
  /**
   * The Maximum Length we advertise in the A-ASSOCIATE-AC (PS3.8 Annex D.1, PS3.7 Annex
   * D.3.3.1): the peer must not send a P-DATA-TF whose variable field exceeds it.
   */
  maxPduLength: number;
  /** Bytes a P-DATA-TF may exceed maxPduLength by (peers that count the header in). */
  pduSlackBytes: number;
  /**
   * Largest DIMSE command set, and largest data set of a command other than C-STORE (PS3.7
   * command sets are a few hundred bytes); see pdv-check.ts.
   */
  maxCommandBytes: number;
  /** Bytes one association may send in all before it is aborted. */
  maxAssociationBytes: number;
  /** ARTIM (PS3.8 §9.1.5): a connection must deliver its A-ASSOCIATE-RQ within this. */
  artimMs: number;
  /** An established association silent this long (and with nothing in flight) is aborted. */
  idleMs: number;
  /** Associations served at once; further connections get A-ASSOCIATE-RJ (transient). */
  maxAssociations: number;
  /** Connections refused with A-ASSOCIATE-RJ at once; beyond that they are closed outright. */
  maxRejecting: number;
  /** How long a connection we abort or reject may take to read our last PDU before it is destroyed. */
  closeGraceMs: number;
}

export const DEFAULT_SCP_LIMITS: Readonly<ScpLimits> = Object.freeze({
  maxAssociateRqBytes: 64 * 1024,
  maxPduLength: 256 * 1024,
  pduSlackBytes: 16,
  maxCommandBytes: 64 * 1024,
  maxAssociationBytes: 2 * 1024 ** 3,
  artimMs: 10_000,
  idleMs: 60_000,
  maxAssociations: 8,
  maxRejecting: 8,
  closeGraceMs: 500,
});

export function resolveScpLimits(overrides: Partial<ScpLimits> = {}): ScpLimits {
  const limits: ScpLimits = { ...DEFAULT_SCP_LIMITS };
  for (const [key, value] of Object.entries(overrides) as [keyof ScpLimits, number | undefined][]) {
    if (value === undefined) continue;
    if (!(key in DEFAULT_SCP_LIMITS)) throw new Error(`unknown SCP limit ${key}`);
    if (!Number.isInteger(value) || value < 0)
      throw new Error(`SCP limit ${key} must be a non-negative integer, not ${value}`);
    limits[key] = value;
  }
  // PS3.8 §9.3.5 counts P-DATA-TF lengths in a 32-bit field; 0 would mean "unlimited" (Annex D.1).
  if (limits.maxPduLength < 1024 || limits.maxPduLength > 0xffff_ffff)
    throw new Error(`maxPduLength ${limits.maxPduLength} is out of range`);
  if (limits.maxAssociations < 1) throw new Error('maxAssociations must be at least 1');
  return limits;
}
