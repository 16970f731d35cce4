/**
 * The workstation's events as the page may hear them, for the transports to forward: each
 * checked against its schema in the contract (core/api/events.ts), and a `signed-in` event
 * passed on only while someone is signed in — the same rule the dispatcher applies to
 * operations, so a page nobody is signed in to learns nothing from the event stream either.
 */
import {
  events as contractEvents,
  type EventName,
  type WorkstationEventMap,
} from '../api/events.ts';
import type { Emitter, Unsubscribe } from '../base/emitter.ts';
import type { Session } from '../users/session.ts';

export type PageEventListener = <N extends EventName>(
  name: N,
  payload: WorkstationEventMap[N],
) => void;

export type PageEvents = (listener: PageEventListener) => Unsubscribe;

export function pageEvents(events: Emitter<WorkstationEventMap>, session: Session): PageEvents {
  return (listener) =>
    events.onAny((name, payload) => {
      const spec = contractEvents[name];
      if (spec.access === 'signed-in' && !session.peek()) return;
      const parsed = spec.payload.safeParse(payload);
      if (parsed.success) listener(name, parsed.data as WorkstationEventMap[typeof name]);
    });
}
