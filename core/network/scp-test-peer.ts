/**
 * For tests: a raw DICOM peer on 127.0.0.1 that writes PDUs byte for byte (PS3.8 §9.3)
 * and reads what the SCP answers, PDU by PDU, so the guard's limits can be probed.
 */
import { connect, type Socket } from 'node:net';

export const VERIFICATION = '1.2.840.10008.1.1';
export const IMPLICIT_LE = '1.2.840.10008.1.2';

function item(type: number, body: Buffer): Buffer {
  const head = Buffer.from([type, 0, 0, 0]);
  head.writeUInt16BE(body.length, 2);
  return Buffer.concat([head, body]);
}

function uid(value: string): Buffer {
  return Buffer.from(value, 'ascii');
}

function pdu(type: number, body: Buffer): Buffer {
  const head = Buffer.from([type, 0, 0, 0, 0, 0]);
  head.writeUInt32BE(body.length, 2);
  return Buffer.concat([head, body]);
}

/** A-ASSOCIATE-RQ (PS3.8 §9.3.2) proposing one presentation context. */
export function associateRq(options: {
  called: string;
  calling?: string;
  maxPdu?: number;
  abstractSyntax?: string;
}): Buffer {
  const fixed = Buffer.alloc(68, 0);
  fixed.writeUInt16BE(1, 0); // protocol version
  fixed.write(options.called.padEnd(16, ' '), 4, 'ascii');
  fixed.write((options.calling ?? 'PROBE').padEnd(16, ' '), 20, 'ascii');
  const context = item(
    0x20,
    Buffer.concat([
      Buffer.from([1, 0, 0, 0]),
      item(0x30, uid(options.abstractSyntax ?? VERIFICATION)),
      item(0x40, uid(IMPLICIT_LE)),
    ]),
  );
  const maxLength = Buffer.alloc(4);
  maxLength.writeUInt32BE(options.maxPdu ?? 16384);
  const userInfo = item(
    0x50,
    Buffer.concat([item(0x51, maxLength), item(0x52, uid('1.2.3.4.5.6'))]),
  );
  return pdu(
    0x01,
    Buffer.concat([fixed, item(0x10, uid('1.2.840.10008.3.1.1.1')), context, userInfo]),
  );
}

/** The Maximum Length an A-ASSOCIATE-AC advertises (user information sub-item 0x51, PS3.8 Annex D.1). */
export function advertisedMaxPdu(ac: Buffer): number | undefined {
  for (let at = 6 + 68; at + 4 <= ac.length;) {
    const length = ac.readUInt16BE(at + 2);
    if (ac[at] === 0x50) {
      for (let sub = at + 4; sub + 4 <= at + 4 + length; sub += 4 + ac.readUInt16BE(sub + 2)) {
        if (ac[sub] === 0x51) return ac.readUInt32BE(sub + 4);
      }
    }
    at += 4 + length;
  }
  return undefined;
}

export const releaseRq = (): Buffer => pdu(0x05, Buffer.alloc(4));
export const abortRq = (): Buffer => pdu(0x07, Buffer.alloc(4));

/** P-DATA-TF with one PDV (PS3.8 §9.3.5, Annex E.2): control header 0x03 = command, last fragment. */
export function pData(contextId: number, control: number, value: Buffer): Buffer {
  const pdv = Buffer.alloc(6);
  pdv.writeUInt32BE(2 + value.length, 0);
  pdv[4] = contextId;
  pdv[5] = control;
  return pdu(0x04, Buffer.concat([pdv, value]));
}

function element(group: number, elementNo: number, value: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt16LE(group, 0);
  head.writeUInt16LE(elementNo, 2);
  head.writeUInt32LE(value.length, 4);
  return Buffer.concat([head, value]);
}

const us = (n: number) => Buffer.from([n & 0xff, n >> 8]);

/** A C-ECHO-RQ command set in implicit VR little endian (PS3.7 §9.3.5). */
export function cEchoRq(messageId: number): Buffer {
  const rest = Buffer.concat([
    element(0x0000, 0x0002, Buffer.from(`${VERIFICATION}\0`, 'ascii')),
    element(0x0000, 0x0100, us(0x0030)),
    element(0x0000, 0x0110, us(messageId)),
    element(0x0000, 0x0800, us(0x0101)),
  ]);
  const groupLength = Buffer.alloc(4);
  groupLength.writeUInt32LE(rest.length);
  return Buffer.concat([element(0x0000, 0x0000, groupLength), rest]);
}

/** The command field (0000,0100) and status (0000,0900) of a one-PDV command P-DATA-TF. */
export function commandOf(pDataTf: Buffer): { command: number; status: number | undefined } {
  const set = pDataTf.subarray(6 + 6);
  let command = -1;
  let status: number | undefined;
  for (let at = 0; at + 8 <= set.length; at += 8 + set.readUInt32LE(at + 4)) {
    const tag = set.readUInt32LE(at);
    if (tag === 0x01000000) command = set.readUInt16LE(at + 8);
    if (tag === 0x09000000) status = set.readUInt16LE(at + 8);
  }
  return { command, status };
}

export interface RawPeer {
  socket: Socket;
  /** Resolves (with ms since connect) when the SCP closes or resets the connection. */
  closed: Promise<number>;
  /** The next whole PDU from the SCP, or undefined when none comes within timeoutMs or the connection closes. */
  nextPdu(timeoutMs: number): Promise<Buffer | undefined>;
  send(bytes: Buffer): void;
  end(): void;
}

export function rawPeer(port: number): Promise<RawPeer> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    const started = Date.now();
    let buffered = Buffer.alloc(0);
    let wake: (() => void) | undefined;
    let isClosed = false;
    const closed = new Promise<number>((done) => {
      const finish = () => {
        isClosed = true;
        wake?.();
        done(Date.now() - started);
      };
      socket.once('end', finish);
      socket.once('close', finish);
    });
    socket.on('error', () => {});
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      wake?.();
    });
    const take = (): Buffer | undefined => {
      if (buffered.length < 6) return undefined;
      const length = 6 + buffered.readUInt32BE(2);
      if (buffered.length < length) return undefined;
      const out = buffered.subarray(0, length);
      buffered = buffered.subarray(length);
      return out;
    };
    const nextPdu = async (timeoutMs: number): Promise<Buffer | undefined> => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const got = take();
        if (got || isClosed || Date.now() >= deadline) return got;
        await new Promise<void>((go) => {
          const timer = setTimeout(go, deadline - Date.now());
          wake = () => {
            clearTimeout(timer);
            go();
          };
        });
        wake = undefined;
      }
    };
    socket.once('connect', () =>
      resolve({
        socket,
        closed,
        nextPdu,
        send: (bytes) => socket.write(bytes),
        end: () => socket.destroy(),
      }),
    );
    socket.once('error', reject);
  });
}

/** Resolves with the value, or with `fallback` after ms. */
export function within<T, F>(promise: Promise<T>, ms: number, fallback: F): Promise<T | F> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<F>((resolve) => (timer = setTimeout(() => resolve(fallback), ms))),
  ]).finally(() => clearTimeout(timer));
}
