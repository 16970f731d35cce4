/**
 * A typed event source: listeners per event name, each subscription returning its own
 * unsubscribe (after VS Code's Emitter and OHIF's pub-sub services). A listener that throws
 * is reported to `onListenerError` and does not keep the others from hearing the event.
 * Pure: the page uses it for the events the workstation pushes.
 */
export type Unsubscribe = () => void;

export class Emitter<Events extends object> {
  private readonly listeners = new Map<keyof Events, Set<(payload: never) => void>>();
  private readonly everything = new Set<(name: keyof Events, payload: never) => void>();

  constructor(private readonly onListenerError: (error: unknown) => void = () => {}) {}

  on<N extends keyof Events>(name: N, listener: (payload: Events[N]) => void): Unsubscribe {
    const set = this.listeners.get(name) ?? new Set();
    this.listeners.set(name, set);
    const entry = listener as (payload: never) => void;
    set.add(entry);
    return () => void set.delete(entry);
  }

  /** Every event, with its name (the transports forward them all). */
  onAny(listener: <N extends keyof Events>(name: N, payload: Events[N]) => void): Unsubscribe {
    const entry = listener as (name: keyof Events, payload: never) => void;
    this.everything.add(entry);
    return () => void this.everything.delete(entry);
  }

  emit<N extends keyof Events>(name: N, payload: Events[N]): void {
    const call = (run: () => void) => {
      try {
        run();
      } catch (error) {
        this.onListenerError(error);
      }
    };
    for (const listener of [...(this.listeners.get(name) ?? [])])
      call(() => listener(payload as never));
    for (const listener of [...this.everything]) call(() => listener(name, payload as never));
  }
}
