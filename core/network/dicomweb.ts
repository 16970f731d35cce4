/**
 * A DICOMweb client (PS3.18): STOW-RS to push signed reports and captures to a PACS,
 * QIDO-RS to find studies and instances, WADO-RS to fetch an instance. Plain fetch; a
 * site's PACS address and credentials come from its configuration, never from a default.
 */
import { randomBytes } from 'node:crypto';
import { CodedError } from '../base/errors.ts';

export class DicomWebError extends CodedError<'DICOMWEB_FAILED'> {}

export interface DicomWebTarget {
  /** e.g. http://127.0.0.1:8042/dicom-web */
  baseUrl: string;
  authorization?: string;
}

function headers(target: DicomWebTarget, extra: Record<string, string>): Record<string, string> {
  return { ...extra, ...(target.authorization ? { Authorization: target.authorization } : {}) };
}

/** STOW-RS: one multipart/related request carrying the Part 10 files. */
export async function stowInstances(
  target: DicomWebTarget,
  files: Uint8Array[],
): Promise<{ stored: number; failed: number; response: unknown }> {
  const boundary = `neoscope-${randomBytes(12).toString('hex')}`;
  const parts: Uint8Array[] = [];
  const encoder = new TextEncoder();
  for (const file of files) {
    parts.push(
      encoder.encode(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`),
      file,
      encoder.encode('\r\n'),
    );
  }
  parts.push(encoder.encode(`--${boundary}--\r\n`));
  const body = Buffer.concat(parts);
  const response = await fetch(`${target.baseUrl.replace(/\/$/, '')}/studies`, {
    method: 'POST',
    headers: headers(target, {
      'Content-Type': `multipart/related; type="application/dicom"; boundary=${boundary}`,
      Accept: 'application/dicom+json',
    }),
    body,
  });
  const text = await response.text();
  let json: Record<string, { Value?: unknown[] }> = {};
  try {
    json = JSON.parse(text);
  } catch {
    /* some servers answer XML or nothing */
  }
  // PS3.18 10.5.3: 00081199 Referenced SOP Sequence (stored), 00081198 Failed SOP Sequence.
  const stored = json['00081199']?.Value?.length ?? 0;
  const failed = json['00081198']?.Value?.length ?? 0;
  if (!response.ok && response.status !== 202)
    throw new DicomWebError(
      'DICOMWEB_FAILED',
      `STOW-RS to ${target.baseUrl} answered ${response.status} ${response.statusText}: ${text.slice(0, 300)}`,
    );
  return { stored, failed, response: json };
}

/** QIDO-RS search; `level` studies, series or instances; returns DICOM JSON objects. */
export async function qido(
  target: DicomWebTarget,
  level: 'studies' | 'series' | 'instances',
  query: Record<string, string>,
): Promise<Record<string, { vr: string; Value?: unknown[] }>[]> {
  const url = new URL(`${target.baseUrl.replace(/\/$/, '')}/${level}`);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  const response = await fetch(url, {
    headers: headers(target, { Accept: 'application/dicom+json' }),
  });
  if (response.status === 204) return [];
  if (!response.ok)
    throw new DicomWebError(
      'DICOMWEB_FAILED',
      `QIDO-RS ${url} answered ${response.status} ${response.statusText}`,
    );
  return (await response.json()) as Record<string, { vr: string; Value?: unknown[] }>[];
}

/** WADO-RS: one instance as Part 10 bytes (the first part of the multipart answer). */
export async function wadoInstance(
  target: DicomWebTarget,
  study: string,
  series: string,
  instance: string,
): Promise<Uint8Array> {
  const url = `${target.baseUrl.replace(/\/$/, '')}/studies/${study}/series/${series}/instances/${instance}`;
  const response = await fetch(url, {
    headers: headers(target, { Accept: 'multipart/related; type="application/dicom"' }),
  });
  if (!response.ok)
    throw new DicomWebError(
      'DICOMWEB_FAILED',
      `WADO-RS ${url} answered ${response.status} ${response.statusText}`,
    );
  const type = response.headers.get('content-type') ?? '';
  const boundary = /boundary="?([^";]+)"?/.exec(type)?.[1];
  const body = Buffer.from(await response.arrayBuffer());
  if (!boundary) return new Uint8Array(body);
  const start = body.indexOf('\r\n\r\n', body.indexOf(`--${boundary}`)) + 4;
  const end = body.indexOf(`\r\n--${boundary}`, start);
  return new Uint8Array(body.subarray(start, end));
}
