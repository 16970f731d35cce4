/**
 * The names of the events the workstation pushes to the page (declared with their payloads in
 * events.ts). Kept free of any package so Electron's main process, which forwards the events
 * and loads no parser or schema library, can check a name it is handed.
 */
export const EVENT_NAMES = [
  'library.changed',
  'session.changed',
  'worklist.changed',
  'analysis.progress',
] as const;
export type EventName = (typeof EVENT_NAMES)[number];

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && (EVENT_NAMES as readonly string[]).includes(name);
}
