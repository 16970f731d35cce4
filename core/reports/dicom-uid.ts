/** New DICOM UIDs: a random UUID as an integer under the root 2.25 (PS3.5 B.2). */
import { createHash, randomUUID } from 'node:crypto';

export function newUid(): string {
  return `2.25.${BigInt(`0x${randomUUID().replace(/-/g, '')}`).toString(10)}`;
}

/** A stable UID under 2.25 for content that has no DICOM identity of its own (e.g. a photo exam). */
export function uidFromContent(key: string): string {
  const bytes = createHash('sha256').update(key).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  return `2.25.${BigInt(`0x${Buffer.from(bytes).toString('hex')}`).toString(10)}`;
}
