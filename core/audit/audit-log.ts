/**
 * The audit log: an append-only, hash-chained JSON Lines file. Each entry records who did
 * what to which subject and when, the previous entry's hash, and its own hash over all of
 * that (canonical JSON, SHA-256). Changing, removing or inserting any entry breaks the
 * chain from that entry on; `verifyAuditLog` names the first broken one.
 *
 * Appends are serialised in-process and each is written with one write() and fsync'd, so a
 * crash leaves at most a torn last line, which verification reports as such.
 */
import { createHash } from 'node:crypto';
import { open, readFile } from 'node:fs/promises';
import { canonicalJson } from './canonical-json.ts';

export const GENESIS_HASH = '0'.repeat(64);

export type AuditAction =
  | 'import'
  | 'analysis'
  | 'view'
  | 'edit'
  | 'sign-off'
  | 'amendment'
  | 'export'
  | 'login'
  | 'login-failed'
  | 'annotate'
  | 'model-install'
  | 'recovery';

export interface AuditEntry {
  seq: number;
  time: string;
  actor: string;
  action: AuditAction;
  /** What the action was on: an instance id, a report id, a batch id… */
  subject: string;
  details?: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export type AuditVerification =
  | { ok: true; entries: number; lastHash: string }
  | { ok: false; entries: number; brokenAt: number; line: number; reason: string };

function entryHash(entry: Omit<AuditEntry, 'hash'>): string {
  return createHash('sha256').update(canonicalJson(entry)).digest('hex');
}

export class AuditLog {
  private tail: Promise<unknown> = Promise.resolve();
  private state?: { seq: number; hash: string };

  constructor(
    readonly path: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Appends one entry after the last; refuses to write onto a broken chain. */
  append(fields: { actor: string; action: AuditAction; subject: string; details?: Record<string, unknown> }): Promise<AuditEntry> {
    const next = this.tail.then(async () => {
      if (!this.state) {
        const check = await verifyAuditLog(this.path);
        if (!check.ok) throw new Error(`audit log ${this.path} is broken at entry ${check.brokenAt} (line ${check.line}): ${check.reason}; nothing more is written to it`);
        this.state = { seq: check.entries, hash: check.lastHash };
      }
      const body: Omit<AuditEntry, 'hash'> = { seq: this.state.seq + 1, time: this.now().toISOString(), ...fields, prevHash: this.state.hash };
      const entry: AuditEntry = { ...body, hash: entryHash(body) };
      const file = await open(this.path, 'a');
      try {
        await file.write(`${JSON.stringify(entry)}\n`);
        await file.sync();
      } finally {
        await file.close();
      }
      this.state = { seq: entry.seq, hash: entry.hash };
      return entry;
    });
    this.tail = next.catch(() => undefined);
    return next;
  }
}

/**
 * After a crash: an incomplete last line is a write that never returned, so it is cut off
 * and the cut is itself recorded. Anything else broken is left for `audit verify` to name.
 */
export async function recoverAuditTail(log: AuditLog): Promise<string | undefined> {
  const text = await readFile(log.path, 'utf8').catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? '' : Promise.reject(e)));
  if (text === '' || text.endsWith('\n')) return undefined;
  const keep = text.slice(0, text.lastIndexOf('\n') + 1);
  if (!verifyAuditText(keep).ok) return undefined;
  const file = await open(log.path, 'r+');
  try {
    await file.truncate(Buffer.byteLength(keep));
    await file.sync();
  } finally {
    await file.close();
  }
  const removed = Buffer.byteLength(text) - Buffer.byteLength(keep);
  await log.append({ actor: 'system', action: 'recovery', subject: 'audit.log', details: { removedIncompleteBytes: removed } });
  return `removed an incomplete last audit entry (${removed} bytes)`;
}

export async function readAuditEntries(path: string): Promise<AuditEntry[]> {
  const text = await readFile(path, 'utf8').catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? '' : Promise.reject(e)));
  return text
    .split('\n')
    .filter((l) => l.length)
    .map((l) => JSON.parse(l) as AuditEntry);
}

/** Walks the chain from the start; a missing file is an empty, intact log. */
export async function verifyAuditLog(path: string): Promise<AuditVerification> {
  return verifyAuditText(await readFile(path, 'utf8').catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? '' : Promise.reject(e))));
}

export function verifyAuditText(text: string): AuditVerification {
  const lines = text.split('\n');
  const torn = lines[lines.length - 1] !== '';
  let prev = GENESIS_HASH;
  let count = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '' && i === lines.length - 1) break;
    const seq = count + 1;
    const broken = (reason: string): AuditVerification => ({ ok: false, entries: count, brokenAt: seq, line: i + 1, reason });
    if (torn && i === lines.length - 1) return broken('the last entry is incomplete (the writer stopped mid-line)');
    let entry: AuditEntry;
    try {
      entry = JSON.parse(line) as AuditEntry;
    } catch {
      return broken('the entry is not valid JSON (altered or corrupted)');
    }
    if (JSON.stringify(entry) !== line) return broken("the entry's bytes differ from the form it was written in (altered)");
    if (entry.seq !== seq) return broken(`sequence number ${entry.seq} where ${seq} was expected (an entry was removed or inserted)`);
    if (entry.prevHash !== prev) return broken('its link to the previous entry does not match (an earlier entry was changed, removed or inserted)');
    const { hash, ...body } = entry;
    if (entryHash(body) !== hash) return broken('its content does not match its hash (the entry was altered)');
    prev = hash;
    count = seq;
  }
  return { ok: true, entries: count, lastHash: prev };
}
