/**
 * The SCP's TCP listener: every accepted connection goes through a PduGuard before any
 * byte reaches dcmjs-dimse, and at most limits.maxAssociations are served at once. The
 * next limits.maxRejecting connections are answered, once their A-ASSOCIATE-RQ is in,
 * with an A-ASSOCIATE-RJ "transient, local limit exceeded" (PS3.8 §9.3.4), so the sender
 * retries later; connections beyond those are closed at once. Runs in whichever thread
 * calls it (store-scp.ts puts it in a worker).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GuardedDimseSocket } from './dimse-socket.ts';
import { associateRjPdu, RejectReason, RejectResult, RejectSource } from './pdu.ts';
import { PduGuard } from './pdu-guard.ts';
import type { ScpLimits } from './scp-limits.ts';
import {
  checkAdvertisableMaxPdu,
  serveAssociation,
  type StoreInstance,
} from './store-scp-handler.ts';

export interface ScpServerConfig {
  aeTitle: string;
  port: number;
  host: string;
  limits: ScpLimits;
  log(line: string): void;
  storeInstance: StoreInstance;
}

export interface ListeningScp {
  port: number;
  close(): Promise<void>;
}

export async function listenStoreScp(config: ScpServerConfig): Promise<ListeningScp> {
  const { limits, log } = config;
  checkAdvertisableMaxPdu(limits);
  const scratch = mkdtempSync(join(tmpdir(), 'neoscope-scp-'));
  const serving = new Set<Socket>();
  const rejecting = new Set<Socket>();

  const server = createServer((socket) => {
    const peer = `${socket.remoteAddress}:${socket.remotePort}`;
    if (serving.size < limits.maxAssociations) {
      serving.add(socket);
      socket.on('close', () => serving.delete(socket));
      // PDUs arrive only on later 'data' events, once dimseSocket exists.
      const guard = new PduGuard(socket, { limits, log, onPdu: (pdu) => dimseSocket.deliver(pdu) });
      const dimseSocket = new GuardedDimseSocket(guard);
      socket.on('close', () => dimseSocket.emit('close'));
      serveAssociation(dimseSocket, guard, {
        aeTitle: config.aeTitle,
        limits,
        scratch,
        log,
        storeInstance: config.storeInstance,
      });
    } else if (rejecting.size < limits.maxRejecting) {
      rejecting.add(socket);
      socket.on('close', () => rejecting.delete(socket));
      log(
        `DICOM peer ${peer}: ${serving.size} associations already in progress; rejecting (transient, local limit exceeded)`,
      );
      // The guard lets only a bounded A-ASSOCIATE-RQ through, within ARTIM; it is answered with the RJ.
      const guard: PduGuard = new PduGuard(socket, {
        limits,
        log,
        onPdu: () =>
          guard.send(
            associateRjPdu(
              RejectResult.Transient,
              RejectSource.ServiceProviderPresentation,
              RejectReason.LocalLimitExceeded,
            ),
          ),
      });
    } else {
      log(
        `DICOM peer ${peer}: ${serving.size + rejecting.size} connections open; closing this one at once`,
      );
      socket.on('error', () => {});
      socket.destroy();
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of [...serving, ...rejecting]) socket.destroy();
        server.close(() => {
          rmSync(scratch, { recursive: true, force: true });
          resolve();
        });
      }),
  };
}
