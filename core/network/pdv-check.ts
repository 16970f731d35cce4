/**
 * Checks the presentation data values inside each P-DATA-TF (PS3.8 §9.3.5, Annex E.2)
 * before dcmjs-dimse reads them. dcmjs-dimse gathers a DIMSE command, and any data set
 * other than a C-STORE's, in a memorystream whose cost per write grows with the fragments
 * already held (quadratic in all), so a peer dribbling tiny fragments could keep the SCP
 * busy for minutes. Hence:
 *  - every PDV item fits its PDU and holds at least its 2-byte header (Annex E.2);
 *  - a command set is at most maxCommandBytes, in at most MAX_SMALL_MESSAGE_FRAGMENTS fragments;
 *  - a data set that follows anything but a C-STORE-RQ (this SCP serves C-STORE and C-ECHO;
 *    others are answered with a failure) is held to the same bounds.
 * C-STORE data sets are collected linearly (store-scp-handler.ts) and bounded by the
 * association's byte cap.
 */
import { AbortReason } from './pdu.ts';

/** PS3.7 §9.3.1.1 (table 9.1-1): the C-STORE-RQ command field. */
const C_STORE_RQ = 0x0001;
/** PS3.7 §E.1: Command Data Set Type 0x0101 means "no data set follows". */
const NO_DATA_SET = 0x0101;
export const MAX_SMALL_MESSAGE_FRAGMENTS = 64;

export type PdvProblem = [reason: string, abortReason: number];

export class PdvCheck {
  private commandParts: Buffer[] = [];
  private commandBytes = 0;
  /** The command the next data set belongs to (undefined: none announced one). */
  private datasetOf: number | undefined;
  private datasetBytes = 0;
  private datasetFragments = 0;

  constructor(private readonly maxCommandBytes: number) {}

  /** Checks one whole P-DATA-TF PDU (header included); a reason when it must be refused. */
  check(pdu: Buffer): PdvProblem | undefined {
    for (let at = 6; at < pdu.length;) {
      if (at + 6 > pdu.length)
        return ['P-DATA-TF ends inside a PDV item header', AbortReason.InvalidPduParameterValue];
      const itemLength = pdu.readUInt32BE(at);
      if (itemLength < 2 || at + 4 + itemLength > pdu.length)
        return [
          `PDV item length ${itemLength} does not fit its P-DATA-TF`,
          AbortReason.InvalidPduParameterValue,
        ];
      const control = pdu[at + 5]!;
      const problem = this.fragment(
        pdu.subarray(at + 6, at + 4 + itemLength),
        (control & 0x01) !== 0,
        (control & 0x02) !== 0,
      );
      if (problem) return problem;
      at += 4 + itemLength;
    }
    return undefined;
  }

  /** Message control header (Annex E.2): bit 0 command (1) or data set (0), bit 1 last fragment. */
  private fragment(value: Buffer, isCommand: boolean, isLast: boolean): PdvProblem | undefined {
    if (isCommand) {
      this.commandParts.push(value);
      this.commandBytes += value.length;
      if (this.commandBytes > this.maxCommandBytes)
        return [
          `command set over ${this.maxCommandBytes} bytes`,
          AbortReason.InvalidPduParameterValue,
        ];
      if (this.commandParts.length > MAX_SMALL_MESSAGE_FRAGMENTS)
        return [
          `command set in over ${MAX_SMALL_MESSAGE_FRAGMENTS} fragments`,
          AbortReason.InvalidPduParameterValue,
        ];
      if (isLast) {
        const command = readCommand(Buffer.concat(this.commandParts));
        this.datasetOf = command.dataSetType === NO_DATA_SET ? undefined : command.field;
        this.commandParts = [];
        this.commandBytes = 0;
      }
      return undefined;
    }
    // dcmjs-dimse streams a data set to the C-STORE collector only when a C-STORE-RQ announced it.
    if (this.datasetOf !== C_STORE_RQ) {
      this.datasetBytes += value.length;
      this.datasetFragments += 1;
      if (
        this.datasetBytes > this.maxCommandBytes ||
        this.datasetFragments > MAX_SMALL_MESSAGE_FRAGMENTS
      ) {
        return [
          `data set of command 0x${(this.datasetOf ?? 0).toString(16).padStart(4, '0')} over ${this.maxCommandBytes} bytes or ${MAX_SMALL_MESSAGE_FRAGMENTS} fragments`,
          AbortReason.InvalidPduParameterValue,
        ];
      }
    }
    if (isLast) {
      this.datasetOf = undefined;
      this.datasetBytes = 0;
      this.datasetFragments = 0;
    }
    return undefined;
  }
}

/**
 * (0000,0100) Command Field and (0000,0800) Command Data Set Type of a command set; command
 * sets are implicit VR little endian (PS3.7 §6.3.1).
 */
export function readCommand(set: Buffer): {
  field: number | undefined;
  dataSetType: number | undefined;
} {
  const found: { field: number | undefined; dataSetType: number | undefined } = {
    field: undefined,
    dataSetType: undefined,
  };
  for (let at = 0; at + 8 <= set.length;) {
    const group = set.readUInt16LE(at);
    const element = set.readUInt16LE(at + 2);
    const length = set.readUInt32LE(at + 4);
    if (group === 0x0000 && length === 2 && at + 10 <= set.length) {
      if (element === 0x0100) found.field = set.readUInt16LE(at + 8);
      if (element === 0x0800) found.dataSetType = set.readUInt16LE(at + 8);
    }
    at += 8 + length;
  }
  return found;
}
