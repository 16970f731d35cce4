/**
 * The "socket" dcmjs-dimse's Scp is given instead of the TCP connection. Its Network class
 * (node_modules/dcmjs-dimse, `_wrapSocket`/`_sendPdu`) only calls setTimeout(), write(),
 * and listens for 'data', 'error', 'timeout', 'close' and 'connect'; so this emits one
 * 'data' per whole PDU that passed the guard (its receive buffer never holds more than
 * one capped PDU) and sends what it writes through the guard.
 *
 * 'connect' is never emitted, as for any accepted socket: dcmjs-dimse's own association
 * and PDU timers stay off, and the guard's ARTIM and idle timers apply instead.
 */
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import type { PduGuard } from './pdu-guard.ts';

export class GuardedDimseSocket extends EventEmitter {
  constructor(private readonly guard: PduGuard) {
    super();
  }

  /** Called by the guard for each accepted PDU. */
  deliver(pdu: Buffer): void {
    this.emit('data', pdu);
  }

  write(pdu: Buffer): boolean {
    return this.guard.send(pdu);
  }

  /** dcmjs-dimse arms a 3-minute idle timeout here; the guard's timers replace it. */
  setTimeout(): this {
    return this;
  }

  destroy(): this {
    this.guard.close();
    return this;
  }

  /** The type dcmjs-dimse declares for its constructor; the calls it makes are the ones above. */
  asSocket(): Socket {
    return this as unknown as Socket;
  }
}
