/**
 * A DICOM C-STORE SCP (and C-ECHO), so a modality or PACS can push images in. It listens on
 * loopback unless told otherwise, accepts associations only for its own AE title, accepts
 * any storage SOP class in the transfer syntax the sender proposes first, and hands each
 * received instance (as a Part 10 file) to the library; the C-STORE response reports a
 * refused file as a failure with the library's reason, so the sender knows.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dimse from 'dcmjs-dimse';

const { Scp } = dimse;
const { CEchoResponse, CStoreResponse } = dimse.responses;
const { Status, PresentationContextResult, RejectResult, RejectSource, RejectReason } = dimse.constants;

export interface StoreScpOptions {
  aeTitle: string;
  port: number;
  /** 127.0.0.1 unless the site opens it to its network on purpose. */
  host?: string;
  /** Stores one received instance; resolves with an error message to refuse it. */
  onInstance(bytes: Uint8Array, callingAeTitle: string): Promise<{ ok: true } | { ok: false; message: string }>;
  log?: (line: string) => void;
}

export interface RunningScp {
  port: number;
  close(): Promise<void>;
}

const UNCOMPRESSED = new Set(['1.2.840.10008.1.2', '1.2.840.10008.1.2.1', '1.2.840.10008.1.2.2']);
// The library logs each PDU at info level; the workstation logs what matters itself.
dimse.log.setLevel('warn');

/** DIMSE status 0xA700 family: "Refused: out of resources"; 0xC000: "cannot understand". */
const CANNOT_UNDERSTAND = 0xc000;

export async function startStoreScp(options: StoreScpOptions): Promise<RunningScp> {
  const log = options.log ?? (() => {});
  const scratch = mkdtempSync(join(tmpdir(), 'neoscope-scp-'));

  class StoreScp extends Scp {
    private callingAe = '';

    override associationRequested(association: InstanceType<typeof dimse.association.Association>): void {
      this.callingAe = association.getCallingAeTitle();
      if (association.getCalledAeTitle() !== options.aeTitle) {
        log(`refused association from ${this.callingAe}: called AE ${association.getCalledAeTitle()} is not ${options.aeTitle}`);
        this.sendAssociationReject(RejectResult.Permanent, RejectSource.ServiceUser, RejectReason.CalledAeNotRecognized);
        return;
      }
      for (const c of association.getPresentationContexts()) {
        const context = association.getPresentationContext(c.id);
        const syntaxes = context.getTransferSyntaxUids();
        // A sender offers a compressed syntax only when its file is stored that way: taking it
        // spares a conversion the sender may not be able to make (and keeps the pixels as sent).
        const chosen = syntaxes.find((uid) => !UNCOMPRESSED.has(uid)) ?? syntaxes[0];
        if (chosen) context.setResult(PresentationContextResult.Accept, chosen);
        else context.setResult(PresentationContextResult.RejectTransferSyntaxesNotSupported);
      }
      this.sendAssociationAccept();
    }

    override cEchoRequest(request: InstanceType<typeof dimse.requests.CEchoRequest>, callback: (response: InstanceType<typeof CEchoResponse>) => void): void {
      const response = CEchoResponse.fromRequest(request);
      response.setStatus(Status.Success);
      callback(response);
    }

    override cStoreRequest(request: InstanceType<typeof dimse.requests.CStoreRequest>, callback: (response: InstanceType<typeof CStoreResponse>) => void): void {
      const response = CStoreResponse.fromRequest(request);
      const file = join(scratch, `${randomBytes(8).toString('hex')}.dcm`);
      request.getDataset()!.toFile(file, (error) => {
        if (error) {
          response.setStatus(CANNOT_UNDERSTAND);
          callback(response);
          return;
        }
        const bytes = new Uint8Array(readFileSync(file));
        rmSync(file, { force: true });
        options.onInstance(bytes, this.callingAe).then(
          (result) => {
            if (!result.ok) log(`C-STORE from ${this.callingAe} refused: ${result.message}`);
            response.setStatus(result.ok ? Status.Success : CANNOT_UNDERSTAND);
            callback(response);
          },
          (failure: Error) => {
            log(`C-STORE from ${this.callingAe} failed: ${failure.message}`);
            response.setStatus(CANNOT_UNDERSTAND);
            callback(response);
          },
        );
      });
    }

    override associationReleaseRequested(): void {
      this.sendAssociationReleaseResponse();
    }
  }

  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    const scp = new StoreScp(socket, {});
    scp.on('networkError', (error: Error) => {
      log(`DICOM network error: ${error.message}`);
      socket.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  log(`C-STORE SCP ${options.aeTitle} listening on ${options.host ?? '127.0.0.1'}:${port}`);
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => {
          rmSync(scratch, { recursive: true, force: true });
          resolve();
        });
      }),
  };
}
