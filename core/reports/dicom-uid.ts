/** New DICOM UIDs: a random UUID as an integer under the root 2.25 (PS3.5 B.2). */
import { randomUUID } from 'node:crypto';

export function newUid(): string {
  return `2.25.${BigInt(`0x${randomUUID().replace(/-/g, '')}`).toString(10)}`;
}
