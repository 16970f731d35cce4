/**
 * Content-addressed file store: each file lives under objects/<2 hex>/<62 hex> of its
 * SHA-256. Written to a temporary name, fsync'd, renamed, and the folder fsync'd, so a
 * stored object is whole or absent after a crash; storing the same bytes twice is a no-op.
 * Objects are written before the index row that refers to them, so the index never points
 * at a missing file (an orphan object left by a crash is harmless and re-used).
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { isSha256Hex } from '../vocabulary/ids.ts';

export class ObjectStore {
  constructor(readonly root: string) {}

  pathOf(sha256: string): string {
    if (!isSha256Hex(sha256)) throw new Error(`not a SHA-256: ${sha256}`);
    return join(this.root, sha256.slice(0, 2), sha256.slice(2));
  }

  async put(bytes: Uint8Array): Promise<string> {
    const sha = createHash('sha256').update(bytes).digest('hex');
    const target = this.pathOf(sha);
    if (existsSync(target)) return sha;
    const folder = join(this.root, sha.slice(0, 2));
    await mkdir(folder, { recursive: true });
    const temp = join(folder, `.${sha.slice(2, 10)}-${randomBytes(4).toString('hex')}.partial`);
    const file = await open(temp, 'wx');
    try {
      await file.write(bytes);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temp, target);
    const dir = await open(folder, 'r');
    await dir.sync().finally(() => dir.close());
    return sha;
  }

  /** The stored bytes, checked against their name: a changed object is an error, not data. */
  async get(sha256: string): Promise<Uint8Array> {
    const bytes = new Uint8Array(await readFile(this.pathOf(sha256)));
    const actual = createHash('sha256').update(bytes).digest('hex');
    if (actual !== sha256)
      throw new Error(`stored object ${sha256} has changed on disk (now ${actual})`);
    return bytes;
  }
}
