/**
 * For tests, run as its own process: the security probe's hostile peer. It connects to
 * 127.0.0.1:PORT, sends an A-ASSOCIATE-RQ header declaring a ~4 GiB PDU (01 00 FF FF FF F0)
 * and streams zeros, CHUNK bytes every INTERVAL ms, until the SCP closes the connection,
 * DURATION ms pass or MAX bytes are sent. It prints one JSON line: when the SCP closed
 * (ms after the header, or null), how much was sent, and the first bytes the SCP sent back.
 *
 *   node --import tsx scp-hostile-peer.ts PORT [DURATION_MS] [MAX_BYTES]
 */
import { connect } from 'node:net';

const port = Number(process.argv[2]);
const durationMs = Number(process.argv[3] ?? 8_000);
const maxBytes = Number(process.argv[4] ?? 64 * 1024 * 1024);
const CHUNK = 32 * 1024;
const INTERVAL_MS = 4;

const socket = connect({ host: '127.0.0.1', port });
let started = 0;
let sent = 0;
let closedAfterMs: number | null = null;
let answer = Buffer.alloc(0);
let timer: NodeJS.Timeout | undefined;
const zeros = Buffer.alloc(CHUNK);

function finish(): void {
  clearInterval(timer);
  socket.destroy();
  process.stdout.write(
    `${JSON.stringify({ closedAfterMs, sent, answer: answer.subarray(0, 16).toString('hex') })}\n`,
  );
  process.exit(0);
}

socket.on('error', () => {});
socket.on('data', (chunk: Buffer) => (answer = Buffer.concat([answer, chunk])));
const closed = () => {
  if (closedAfterMs === null && started) closedAfterMs = Date.now() - started;
  finish();
};
socket.on('end', closed);
socket.on('close', closed);
socket.on('connect', () => {
  started = Date.now();
  socket.write(Buffer.from([0x01, 0x00, 0xff, 0xff, 0xff, 0xf0]));
  timer = setInterval(() => {
    if (Date.now() - started >= durationMs || sent >= maxBytes) finish();
    else if (socket.writable) {
      socket.write(zeros);
      sent += CHUNK;
    }
  }, INTERVAL_MS);
});
