/**
 * A typed request/reply protocol with a worker (after onnxruntime-web's proxy-messages.ts):
 * each message type names what it takes (`in`) and what it answers (`out`); a reply carries
 * the request's id and type, and either the value or the failure as an ErrorBody with the
 * code the worker's side raised, so the caller decides on codes, never on message text.
 * Pure: the page's inference worker and the Node worker thread share it.
 */
import { CodedError, type ErrorBody } from './errors.ts';

/** One request type of a worker protocol. */
export interface WorkerMessage<Type extends string = string, In = unknown, Out = unknown> {
  type: Type;
  in: In;
  out: Out;
}

type Of<M extends WorkerMessage, T extends M['type']> = Extract<M, { type: T }>;

/** What is posted to the worker for each message type. */
export type RequestOf<M extends WorkerMessage> = M extends WorkerMessage
  ? { id: number; type: M['type'] } & M['in']
  : never;

/** The answer to a request: its value, or why it failed. */
export type Reply<Out, Code extends string = string> =
  { ok: true; value: Out } | { ok: false; error: ErrorBody<Code> };

/** What the worker posts back for each message type. */
export type ReplyOf<M extends WorkerMessage, Code extends string = string> = M extends WorkerMessage
  ? { id: number; type: M['type'] } & Reply<M['out'], Code>
  : never;

/** What a request of type T answers with. */
export type OutOf<M extends WorkerMessage, T extends M['type']> = Of<M, T>['out'];

type WithoutId<R> = R extends unknown ? Omit<R, 'id'> : never;

/** A request as the caller writes it; the id is added when it is sent. */
export type Outgoing<M extends WorkerMessage, T extends M['type'] = M['type']> = WithoutId<
  RequestOf<Of<M, T>>
>;

/** A failure reported by the worker, with the code its side raised. */
export class WorkerFailure<Code extends string = string> extends CodedError<Code> {}

/**
 * The caller's side: numbers requests, keeps one pending promise per id and settles it with
 * its reply (several requests may be in flight; each answer finds its own). `post` sends a
 * request with the buffers to transfer; `onBusy` hears when the first request starts waiting
 * and when the last is answered (a Node worker is referenced only while busy).
 */
export class WorkerRequests<M extends WorkerMessage, Code extends string = string> {
  private readonly pending = new Map<
    number,
    { resolve(value: unknown): void; reject(error: Error): void }
  >();
  private nextId = 1;
  private stopped?: Error;

  constructor(
    private readonly post: (request: RequestOf<M>, transfer: ArrayBuffer[]) => void,
    private readonly onBusy: (busy: boolean) => void = () => {},
  ) {}

  /** Sends a request; the promise holds the reply's value, typed by the request's type. */
  send<R extends Outgoing<M>>(
    request: R,
    transfer: ArrayBuffer[] = [],
  ): Promise<OutOf<M, R['type']>> {
    if (this.stopped) return Promise.reject(this.stopped);
    const id = this.nextId++;
    if (!this.pending.size) this.onBusy(true);
    return new Promise<OutOf<M, R['type']>>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.post({ ...request, id } as unknown as RequestOf<M>, transfer);
    });
  }

  /** Settles the request a reply answers; a reply to no pending request is ignored. */
  settle(reply: ReplyOf<M, Code>): void {
    const waiting = this.pending.get(reply.id);
    if (!waiting) return;
    this.pending.delete(reply.id);
    if (!this.pending.size) this.onBusy(false);
    if (reply.ok) waiting.resolve(reply.value);
    else {
      const { code, message, file } = reply.error;
      waiting.reject(new WorkerFailure(code, message, file));
    }
  }

  /** The worker is gone: every pending request and every later one fails with `error`. */
  stop(error: Error): void {
    this.stopped ??= error;
    const waiting = [...this.pending.values()];
    this.pending.clear();
    if (waiting.length) this.onBusy(false);
    for (const w of waiting) w.reject(this.stopped);
  }

  get running(): boolean {
    return !this.stopped;
  }
}
