/**
 * What the SCP does on one association, as a dcmjs-dimse Scp: accepts associations only
 * for its own AE title, accepts any storage SOP class in the transfer syntax the sender
 * proposes first (a compressed one when offered), answers C-ECHO, and hands each received
 * instance (as a Part 10 file) to storeInstance; the C-STORE response reports a refused
 * file as a failure, so the sender knows. It advertises limits.maxPduLength as its
 * Maximum Length (PS3.8 Annex D.1), which the guard in front of it enforces, and closes
 * the connection when the peer aborts (PS3.8 §9.2, AA-3).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import dimse from 'dcmjs-dimse';
import type { GuardedDimseSocket } from './dimse-socket.ts';
import type { PduGuard } from './pdu-guard.ts';
import type { ScpLimits } from './scp-limits.ts';

const { Scp, Implementation, Dataset } = dimse;
const { CEchoResponse, CStoreResponse } = dimse.responses;
const { Status, PresentationContextResult, RejectResult, RejectSource, RejectReason } =
  dimse.constants;

type Association = InstanceType<typeof dimse.association.Association>;

export type StoreResult = { ok: true } | { ok: false; message: string };
/** Stores one received instance; resolves with ok: false (and why) to refuse it. */
export type StoreInstance = (bytes: Uint8Array, callingAeTitle: string) => Promise<StoreResult>;

export interface StoreHandlerConfig {
  aeTitle: string;
  limits: ScpLimits;
  /** A folder for dcmjs-dimse's Part 10 writer. */
  scratch: string;
  log(line: string): void;
  storeInstance: StoreInstance;
}

const UNCOMPRESSED = new Set(['1.2.840.10008.1.2', '1.2.840.10008.1.2.1', '1.2.840.10008.1.2.2']);
/** DIMSE status 0xC000: "cannot understand". */
const CANNOT_UNDERSTAND = 0xc000;
// The library logs each PDU at info level; the workstation logs what matters itself.
dimse.log.setLevel('warn');

export function checkAdvertisableMaxPdu(limits: ScpLimits): void {
  // dcmjs-dimse writes min(association's, Implementation's) Maximum Length into the A-ASSOCIATE-AC.
  if (limits.maxPduLength > Implementation.getMaxPduLength()) {
    throw new Error(
      `maxPduLength ${limits.maxPduLength} exceeds dcmjs-dimse's ${Implementation.getMaxPduLength()}`,
    );
  }
}

class FragmentCollector extends Writable {
  private fragments: Buffer[] = [];

  override _write(fragment: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.fragments.push(fragment);
    done();
  }

  take(): Buffer {
    const whole = Buffer.concat(this.fragments);
    this.fragments = [];
    return whole;
  }
}

class StoreScp extends Scp {
  private callingAe = '';
  private association: Association | undefined;

  constructor(
    socket: GuardedDimseSocket,
    private readonly guard: PduGuard,
    private readonly config: StoreHandlerConfig,
  ) {
    super(socket.asSocket(), {});
  }

  override associationRequested(association: Association): void {
    const { aeTitle, log } = this.config;
    this.association = association;
    this.callingAe = association.getCallingAeTitle();
    if (association.getCalledAeTitle() !== aeTitle) {
      log(
        `refused association from ${this.callingAe} (${this.guard.peer}): called AE ${association.getCalledAeTitle()} is not ${aeTitle}`,
      );
      this.sendAssociationReject(
        RejectResult.Permanent,
        RejectSource.ServiceUser,
        RejectReason.CalledAeNotRecognized,
      );
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

  /**
   * The A-ASSOCIATE-AC carries our Maximum Length (PS3.8 Annex D.1). dcmjs-dimse writes
   * min(the peer's, its own): the peer's own receive limit, or 0 ("unlimited") when the
   * peer proposed 0. Ours goes in instead; the peer's is restored afterwards, as it bounds
   * the P-DATA-TF PDUs we send.
   */
  override sendAssociationAccept(): void {
    const association = this.association!;
    const peersMaximum = association.getMaxPduLength();
    association.setMaxPduLength(this.config.limits.maxPduLength);
    super.sendAssociationAccept();
    association.setMaxPduLength(peersMaximum);
  }

  /**
   * dcmjs-dimse collects a C-STORE's data set fragments in a memorystream, which sums its
   * whole queue on every write (quadratic in the fragment count); this keeps them in a list.
   */
  override createStoreWritableStream(): Writable {
    return new FragmentCollector();
  }

  override createDatasetFromStoreWritableStream(
    stream: Writable,
    context: InstanceType<typeof dimse.association.PresentationContext>,
    callback: (dataset: InstanceType<typeof Dataset>) => void,
  ): void {
    callback(
      new Dataset((stream as FragmentCollector).take(), context.getAcceptedTransferSyntaxUid()),
    );
  }

  override cEchoRequest(
    request: InstanceType<typeof dimse.requests.CEchoRequest>,
    callback: (response: InstanceType<typeof CEchoResponse>) => void,
  ): void {
    const response = CEchoResponse.fromRequest(request);
    response.setStatus(Status.Success);
    callback(response);
  }

  override cStoreRequest(
    request: InstanceType<typeof dimse.requests.CStoreRequest>,
    callback: (response: InstanceType<typeof CStoreResponse>) => void,
  ): void {
    const { scratch, storeInstance } = this.config;
    const response = CStoreResponse.fromRequest(request);
    const release = this.guard.hold();
    const respond = (status: number) => {
      release();
      response.setStatus(status);
      callback(response);
    };
    const file = join(scratch, `${randomBytes(8).toString('hex')}.dcm`);
    request.getDataset()!.toFile(file, (error) => {
      if (error) {
        respond(CANNOT_UNDERSTAND);
        return;
      }
      const bytes = readFileSync(file);
      rmSync(file, { force: true });
      storeInstance(bytes, this.callingAe).then(
        (result) => respond(result.ok ? Status.Success : CANNOT_UNDERSTAND),
        () => respond(CANNOT_UNDERSTAND),
      );
    });
  }

  override associationReleaseRequested(): void {
    this.sendAssociationReleaseResponse();
  }

  /** The peer's A-ABORT (PS3.8 §9.3.8): AA-3 of §9.2, close the transport connection. */
  override abort(source: number, reason: number): void {
    this.config.log(
      `association from ${this.callingAe || '?'} (${this.guard.peer}) aborted by the peer (source ${source}, reason ${reason})`,
    );
    this.guard.close();
  }
}

/** Serves one association that passed the connection cap, behind its guard. */
export function serveAssociation(
  socket: GuardedDimseSocket,
  guard: PduGuard,
  config: StoreHandlerConfig,
): void {
  const scp = new StoreScp(socket, guard, config);
  scp.on('networkError', (error: Error) => {
    config.log(`DICOM network error from ${guard.peer}: ${error.message}`);
    guard.abort(`network error: ${error.message}`);
  });
}
