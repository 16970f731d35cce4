/**
 * The PDU guard: sits between a TCP connection and dcmjs-dimse and reads only the 6-byte
 * PDU headers (PS3.8 §9.3.1) as bytes stream in, so a hostile or broken peer is cut off
 * from the header alone, before dcmjs-dimse buffers anything and before any AE title is
 * checked. It enforces, per connection:
 *  - the state machine's first step (PS3.8 §9.2, Sta2): only an A-ASSOCIATE-RQ may come
 *    first, no larger than limits.maxAssociateRqBytes (§9.3.2), within the ARTIM timer
 *    (§9.1.5) of the connection opening;
 *  - once associated: only P-DATA-TF (no larger than the Maximum Length we advertised,
 *    Annex D.1), A-RELEASE-RQ and A-ABORT (both 4 bytes long, §9.3.6, §9.3.8);
 *  - unknown PDU types are refused (A-ABORT reason "unrecognized PDU", §9.3.8);
 *  - the PDV items inside each P-DATA-TF are well formed and small messages stay small
 *    (pdv-check.ts);
 *  - a cap on the bytes one association may send, and an idle timeout while nothing is
 *    in flight.
 * A violation is logged with the peer's address, answered with an A-ABORT (§9.3.8) and
 * the connection destroyed shortly after. PDUs that pass are reassembled (linear cost:
 * one concatenation per PDU) and handed on whole, one at a time.
 */
import type { Socket } from 'node:net';
import {
  AbortReason,
  AbortSource,
  abortPdu,
  isKnownPduType,
  PDU_HEADER_BYTES,
  pduName,
  PduType,
} from './pdu.ts';
import { PdvCheck } from './pdv-check.ts';
import type { ScpLimits } from './scp-limits.ts';

export interface PduGuardOptions {
  limits: ScpLimits;
  log(line: string): void;
  /** One whole PDU (header included) that passed the checks. */
  onPdu(pdu: Buffer, type: number): void;
}

type State = 'awaiting-rq' | 'associated' | 'closing' | 'closed';

export class PduGuard {
  /** "address:port" of the peer, for the log. */
  readonly peer: string;
  private state: State = 'awaiting-rq';
  private readonly header = Buffer.alloc(PDU_HEADER_BYTES);
  private headerFill = 0;
  /** The PDU being reassembled: its type, the parts so far and the bytes still to come. */
  private pduType = 0;
  private parts: Buffer[] = [];
  private bodyRemaining: number | undefined;
  private received = 0;
  private lastActivity = Date.now();
  private inFlight = 0;
  private readonly pdvs: PdvCheck;
  private artimTimer: NodeJS.Timeout | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private graceTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly socket: Socket,
    private readonly options: PduGuardOptions,
  ) {
    this.peer = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
    this.pdvs = new PdvCheck(options.limits.maxCommandBytes);
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', (error) => {
      if (this.state !== 'closing')
        options.log(`DICOM peer ${this.peer}: connection error: ${error.message}`);
    });
    socket.on('close', () => {
      this.state = 'closed';
      this.clearTimers();
    });
    // ARTIM, PS3.8 §9.1.5: started when the transport connection opens (Sta2), stopped by the
    // A-ASSOCIATE-RQ; on expiry the connection is closed without an A-ABORT (§9.2, Sta2 Evt18 AA-2).
    this.artimTimer = setTimeout(() => {
      options.log(
        `DICOM peer ${this.peer}: no complete A-ASSOCIATE-RQ within ${options.limits.artimMs} ms (ARTIM); closing`,
      );
      this.closeWith(undefined, options.limits.closeGraceMs);
    }, options.limits.artimMs);
  }

  get closed(): boolean {
    return this.state === 'closing' || this.state === 'closed';
  }

  /** Marks an operation in flight (the peer waits on us): the idle timeout does not run meanwhile. */
  hold(): () => void {
    this.inFlight += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inFlight -= 1;
      this.lastActivity = Date.now();
    };
  }

  /**
   * Sends one PDU from the SCP. After an A-ASSOCIATE-RJ or A-RELEASE-RP the acceptor waits
   * for the peer to close the connection, at most ARTIM (PS3.8 §9.2, Sta13); after an
   * A-ABORT it closes after a short grace.
   */
  send(pdu: Buffer): boolean {
    if (this.closed) return false;
    this.lastActivity = Date.now();
    const type = pdu[0];
    if (type === PduType.Abort) {
      this.closeWith(pdu, this.options.limits.closeGraceMs);
      return true;
    }
    const written = this.socket.write(pdu);
    if (type === PduType.AssociateRj || type === PduType.ReleaseRp)
      this.closeWith(undefined, this.options.limits.artimMs);
    return written;
  }

  /** Aborts the association (A-ABORT from the service provider, PS3.8 §9.3.8) and closes. */
  abort(reason: string, abortReason: number = AbortReason.NotSpecified): void {
    this.violation(reason, abortReason);
  }

  /** Closes the transport connection without sending anything (e.g. after the peer's A-ABORT, PS3.8 §9.2 AA-3). */
  close(): void {
    if (this.state === 'closed') return;
    this.state = 'closing';
    this.clearTimers();
    this.socket.destroy();
  }

  /** Sends a last PDU (an A-ASSOCIATE-RJ, say), then closes as the peer reads it or after the grace. */
  closeWith(pdu: Buffer | undefined, graceMs: number): void {
    if (this.closed) return;
    this.state = 'closing';
    this.clearTimers();
    if (pdu && this.socket.writable) this.socket.end(pdu);
    else this.socket.end();
    this.graceTimer = setTimeout(() => this.socket.destroy(), graceMs);
  }

  private violation(reason: string, abortReason: number): void {
    if (this.closed) return;
    this.options.log(`DICOM peer ${this.peer}: ${reason}; sending A-ABORT and closing`);
    this.closeWith(
      abortPdu(AbortSource.ServiceProvider, abortReason),
      this.options.limits.closeGraceMs,
    );
  }

  private receive(chunk: Buffer): void {
    // Sta13 (PS3.8 §9.2, AA-6/AA-7): once we are closing, what the peer still sends is dropped.
    if (this.closed) return;
    this.lastActivity = Date.now();
    this.received += chunk.length;
    if (this.received > this.options.limits.maxAssociationBytes) {
      this.violation(
        `sent more than ${this.options.limits.maxAssociationBytes} bytes in one association`,
        AbortReason.NotSpecified,
      );
      return;
    }
    let offset = 0;
    while (offset < chunk.length && !this.closed) {
      if (this.bodyRemaining === undefined) {
        const take = Math.min(PDU_HEADER_BYTES - this.headerFill, chunk.length - offset);
        chunk.copy(this.header, this.headerFill, offset, offset + take);
        this.headerFill += take;
        offset += take;
        if (this.headerFill < PDU_HEADER_BYTES) return;
        this.headerFill = 0;
        if (!this.startPdu(this.header[0]!, this.header.readUInt32BE(2))) return;
      }
      const take = Math.min(this.bodyRemaining!, chunk.length - offset);
      if (take > 0) this.parts.push(chunk.subarray(offset, offset + take));
      offset += take;
      this.bodyRemaining! -= take;
      if (this.bodyRemaining === 0) this.finishPdu();
    }
  }

  /** Checks a PDU header against the state and the limits; false when the connection is being closed. */
  private startPdu(type: number, length: number): boolean {
    const { limits } = this.options;
    const name = pduName(type);
    let problem: [string, number] | undefined;
    if (!isKnownPduType(type)) {
      problem = [name, AbortReason.UnrecognizedPdu];
    } else if (this.state === 'awaiting-rq') {
      if (type === PduType.Abort) {
        // Sta2 + A-ABORT: AA-2, close the connection without answering.
        this.options.log(`DICOM peer ${this.peer}: aborted before associating`);
        this.close();
        return false;
      }
      if (type !== PduType.AssociateRq)
        problem = [`${name} before an A-ASSOCIATE-RQ`, AbortReason.UnexpectedPdu];
      else if (length > limits.maxAssociateRqBytes)
        problem = [
          `A-ASSOCIATE-RQ declares ${length} bytes (limit ${limits.maxAssociateRqBytes})`,
          AbortReason.InvalidPduParameterValue,
        ];
    } else if (type === PduType.PDataTf) {
      if (length > limits.maxPduLength + limits.pduSlackBytes)
        problem = [
          `P-DATA-TF declares ${length} bytes (advertised maximum ${limits.maxPduLength})`,
          AbortReason.InvalidPduParameterValue,
        ];
    } else if (type === PduType.ReleaseRq || type === PduType.Abort) {
      if (length !== 4)
        problem = [
          `${name} declares ${length} bytes (must be 4)`,
          AbortReason.InvalidPduParameterValue,
        ];
    } else {
      problem = [`unexpected ${name} in an established association`, AbortReason.UnexpectedPdu];
    }
    if (problem) {
      this.violation(problem[0], problem[1]);
      return false;
    }
    this.pduType = type;
    this.parts = [Buffer.from(this.header)];
    this.bodyRemaining = length;
    return true;
  }

  private finishPdu(): void {
    const pdu = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts);
    const type = this.pduType;
    this.parts = [];
    this.bodyRemaining = undefined;
    if (type === PduType.PDataTf) {
      const problem = this.pdvs.check(pdu);
      if (problem) {
        this.violation(problem[0], problem[1]);
        return;
      }
    }
    if (type === PduType.AssociateRq) {
      clearTimeout(this.artimTimer);
      this.artimTimer = undefined;
      this.state = 'associated';
      this.armIdle(this.options.limits.idleMs);
    }
    this.options.onPdu(pdu, type);
  }

  /** Not an ARTIM of PS3.8 but local policy (dcmtk's storescp has the like): a silent association is aborted. */
  private armIdle(delay: number): void {
    this.idleTimer = setTimeout(() => {
      if (this.closed) return;
      const silent = Date.now() - this.lastActivity;
      const { idleMs } = this.options.limits;
      if (this.inFlight > 0) this.armIdle(idleMs);
      else if (silent < idleMs) this.armIdle(idleMs - silent);
      else
        this.violation(
          `associated but silent for ${silent} ms (idle limit ${idleMs} ms)`,
          AbortReason.NotSpecified,
        );
    }, delay);
  }

  private clearTimers(): void {
    clearTimeout(this.artimTimer);
    clearTimeout(this.idleTimer);
    if (this.state === 'closed') clearTimeout(this.graceTimer);
    this.artimTimer = undefined;
    this.idleTimer = undefined;
  }
}
