/**
 * The events the workstation pushes to the page, declared once with their payload schemas and
 * who may hear them, like the operations. Electron carries them over IPC (electron/), the
 * browser host over a server-sent event stream (host/event-stream.ts); the page subscribes
 * through its transport's `on` instead of asking again and again. Payloads name no patient:
 * the page fetches what changed through the operations, which check the session.
 *
 * `signed-in` events reach the page only while someone is signed in (the idle lock included);
 * `public` ones always.
 */
import { z } from 'zod';
import type { Access } from './contract.ts';
import { isEventName, type EventName } from './event-names.ts';

export { EVENT_NAMES, isEventName, type EventName } from './event-names.ts';

export const events = {
  'library.changed': {
    access: 'signed-in',
    summary:
      'Images were added to the library: by the page, the Import menu, a partner batch or a modality pushing over DICOM.',
    payload: z.object({ imported: z.number().int().nonnegative() }),
  },
  'session.changed': {
    access: 'public',
    summary:
      'Someone signed in or out, or the idle lock ended the session: the page asks auth.status again and forgets patient data when nobody is signed in.',
    payload: z.object({ state: z.enum(['signed-in', 'signed-out', 'locked']) }),
  },
  'worklist.changed': {
    access: 'signed-in',
    summary:
      "An exam's place in the worklist changed: a report was signed or an amendment started.",
    payload: z.object({ reason: z.enum(['signed', 'amending']) }),
  },
  'analysis.progress': {
    access: 'signed-in',
    summary:
      'Run AI measurements on a report: how many of the model runs it needs are done (one per model and image).',
    payload: z.object({
      reportId: z.string(),
      done: z.number().int().nonnegative(),
      total: z.number().int().nonnegative(),
    }),
  },
} as const satisfies Record<EventName, { access: Access; summary: string; payload: z.ZodType }>;

export type EventPayload<N extends EventName> = z.output<(typeof events)[N]['payload']>;
export type WorkstationEventMap = { [N in EventName]: EventPayload<N> };

/** The event as a transport may pass it on: a known name with a payload its schema accepts. */
export function parseEvent(
  name: unknown,
  payload: unknown,
): { name: EventName; payload: WorkstationEventMap[EventName] } | undefined {
  if (!isEventName(name)) return undefined;
  const parsed = events[name].payload.safeParse(payload);
  return parsed.success ? { name, payload: parsed.data } : undefined;
}
