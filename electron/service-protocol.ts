/**
 * Messages between Electron's main process and the workstation service, the
 * utilityProcess that owns the library, the data folder and every parser of imported
 * files. Main sends `start` once, then calls; the service answers each call by id.
 * Main treats what comes back as untrusted (the service is where hostile bytes are
 * parsed): isServiceMessage checks the shape before anything is used.
 */
import type { ApiResponse } from '../core/api/dispatch.ts';
import { isEventName, type EventName } from '../core/api/event-names.ts';

/** Shown in the OS task manager / Activity Monitor for the utility process. */
export const SERVICE_NAME = 'NeoScope workstation service';

export interface ImportSummary {
  imported: number;
  duplicates: number;
  failed: number;
}

export type ServiceRequest =
  | { kind: 'start'; root: string; dataFolder: string }
  | { kind: 'call'; id: number; operation: string; args: unknown }
  /** A file or folder the user chose in main's Import dialog: the service reads and parses it; the reply's value is an ImportSummary. */
  | { kind: 'import-path'; id: number; path: string }
  /** Close the data folder and exit (app quitting). */
  | { kind: 'stop' };

export type ServiceMessage =
  | { kind: 'ready'; samples: ImportSummary }
  | { kind: 'start-failed'; message: string }
  | { kind: 'reply'; id: number; response: ApiResponse }
  /** An event the page may hear (core/api/events.ts), already checked by the service. */
  | { kind: 'event'; name: EventName; payload: Record<string, string | number | boolean> }
  | { kind: 'stopped' };

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isCount = (value: unknown): value is number =>
  Number.isSafeInteger(value) && (value as number) >= 0;
const isId = isCount;
const isShortText = (value: unknown, max = 10_000): value is string =>
  typeof value === 'string' && value.length <= max;

export function isImportSummary(value: unknown): value is ImportSummary {
  return (
    isObject(value) && isCount(value.imported) && isCount(value.duplicates) && isCount(value.failed)
  );
}

/** An ApiResponse as the page expects it: ok with a value, or an error body with a code and message. */
export function isApiResponse(value: unknown): value is ApiResponse {
  if (!isObject(value)) return false;
  if (value.ok === true) return 'value' in value;
  if (value.ok !== false || !isObject(value.error)) return false;
  return (
    isShortText(value.error.code, 100) &&
    /^[A-Z][A-Z0-9_]*$/.test(value.error.code) &&
    isShortText(value.error.message)
  );
}

/** An event's payload as main forwards it: a few named numbers, strings and flags, nothing more. */
export function isEventPayload(value: unknown): value is Record<string, string | number | boolean> {
  if (!isObject(value)) return false;
  const entries = Object.entries(value);
  return (
    entries.length <= 16 &&
    entries.every(
      ([key, v]) =>
        key.length <= 64 &&
        (typeof v === 'number' || typeof v === 'boolean' || isShortText(v, 1_000)),
    )
  );
}

export function isServiceMessage(value: unknown): value is ServiceMessage {
  if (!isObject(value)) return false;
  switch (value.kind) {
    case 'ready':
      return isImportSummary(value.samples);
    case 'start-failed':
      return isShortText(value.message);
    case 'reply':
      return isId(value.id) && isApiResponse(value.response);
    case 'event':
      return isEventName(value.name) && isEventPayload(value.payload);
    case 'stopped':
      return true;
    default:
      return false;
  }
}

export function isServiceRequest(value: unknown): value is ServiceRequest {
  if (!isObject(value)) return false;
  switch (value.kind) {
    case 'start':
      return typeof value.root === 'string' && typeof value.dataFolder === 'string';
    case 'call':
      return isId(value.id) && typeof value.operation === 'string';
    case 'import-path':
      return isId(value.id) && typeof value.path === 'string';
    case 'stop':
      return true;
    default:
      return false;
  }
}
