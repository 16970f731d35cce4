/**
 * Identifiers, defined once. Stored content is addressed by the SHA-256 of its bytes; an
 * image's instance id is that hash of the file as imported, so the same file imported twice
 * is one instance and an id names exactly one set of bytes.
 */
import { z } from 'zod';

/** 64 lowercase hex digits. */
export const SHA256_HEX = /^[0-9a-f]{64}$/;

export function isSha256Hex(text: string): boolean {
  return SHA256_HEX.test(text);
}

export const sha256Schema = z.string().regex(SHA256_HEX, 'a SHA-256 is 64 lowercase hex digits');

export const instanceIdSchema = z
  .string()
  .regex(SHA256_HEX, 'an instance id is 64 hex digits (the SHA-256 of the imported file)');
export type InstanceId = z.infer<typeof instanceIdSchema>;
