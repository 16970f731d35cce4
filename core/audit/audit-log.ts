/**
 * The audit log: an append-only, hash-chained JSON Lines file. Each entry records who did
 * what to which subject and when, the previous entry's hash, and its own hash over all of
 * that (canonical JSON, SHA-256). Changing, removing or inserting any entry breaks the
 * chain from that entry on; `verifyAuditLog` names the first broken one.
 *
 * Appends are serialised in-process and each is written with one write() and fsync'd, so a
 * crash leaves at most a torn last line, which verification reports as such.
 *
 * The chain alone cannot show that entries were cut from its end, nor that the whole of it
 * was recomputed. Checkpoints can: the chain's length and last hash, printed on every PDF and
 * signed into every package manifest (they leave the machine), recorded in the entry that
 * logs the export and kept in audit-checkpoints.jsonl beside the log. `anchorProblem` says
 * whether the chain still passes through each known checkpoint.
 */
import { createHash } from 'node:crypto';
import { open, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { canonicalJson } from '../base/canonical-json.ts';

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
  | 'model-activate'
  | 'recovery'
  | 'signing-key';

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

/**
 * A checkpoint: the chain's length and last hash at a moment. Printed on every PDF and put in
 * every outgoing package's signed manifest, it leaves the machine: a chain later found shorter
 * than a checkpoint, or whose entry N hashes differently, was cut or rewritten.
 */
export interface AuditCheckpoint {
  entries: number;
  hash: string;
  time: string;
}

/** A point the chain must still pass through: entry `entries` with hash `hash`. */
export interface ChainAnchor {
  entries: number;
  hash: string;
  /** Where the anchor comes from (for the message). */
  source: string;
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

  /** Checkpoints this log emitted, kept beside it (see appendEmitted). */
  get checkpointsPath(): string {
    return checkpointsPathOf(this.path);
  }

  /** The chain's length and last hash now, after every append queued before this call. */
  checkpoint(): Promise<AuditCheckpoint> {
    const next = this.tail.then(async () => {
      if (!this.state) {
        const check = await verifyAuditLog(this.path);
        if (!check.ok)
          throw new Error(
            `audit log ${this.path} is broken at entry ${check.brokenAt} (line ${check.line}): ${check.reason}; run "neoscope audit verify"`,
          );
        this.state = { seq: check.entries, hash: check.lastHash };
      }
      return { entries: this.state.seq, hash: this.state.hash, time: this.now().toISOString() };
    });
    this.tail = next.catch(() => undefined);
    return next;
  }

  /**
   * Records that `checkpoint` left the machine (on a PDF, in a package): the entry carries it
   * in details.checkpoint, and the checkpoint and the recording entry are also kept in
   * audit-checkpoints.jsonl beside the log, so a log cut back past either is noticed.
   */
  async appendEmitted(
    fields: {
      actor: string;
      action: AuditAction;
      subject: string;
      details?: Record<string, unknown>;
    },
    checkpoint: AuditCheckpoint,
  ): Promise<AuditEntry> {
    const entry = await this.append({ ...fields, details: { ...fields.details, checkpoint } });
    const file = await open(this.checkpointsPath, 'a');
    try {
      await file.write(
        `${JSON.stringify({ ...checkpoint, recordedIn: { entries: entry.seq, hash: entry.hash } })}\n`,
      );
      await file.sync();
    } finally {
      await file.close();
    }
    return entry;
  }

  /** Appends one entry after the last; refuses to write onto a broken chain. */
  append(fields: {
    actor: string;
    action: AuditAction;
    subject: string;
    details?: Record<string, unknown>;
  }): Promise<AuditEntry> {
    const next = this.tail.then(async () => {
      if (!this.state) {
        const check = await verifyAuditLog(this.path);
        if (!check.ok)
          throw new Error(
            `audit log ${this.path} is broken at entry ${check.brokenAt} (line ${check.line}): ${check.reason}; nothing more is written to it`,
          );
        this.state = { seq: check.entries, hash: check.lastHash };
      }
      const body: Omit<AuditEntry, 'hash'> = {
        seq: this.state.seq + 1,
        time: this.now().toISOString(),
        ...fields,
        prevHash: this.state.hash,
      };
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
  const text = await readFile(log.path, 'utf8').catch((e: NodeJS.ErrnoException) =>
    e.code === 'ENOENT' ? '' : Promise.reject(e),
  );
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
  await log.append({
    actor: 'system',
    action: 'recovery',
    subject: 'audit.log',
    details: { removedIncompleteBytes: removed },
  });
  return `removed an incomplete last audit entry (${removed} bytes)`;
}

export async function readAuditEntries(path: string): Promise<AuditEntry[]> {
  const text = await readFile(path, 'utf8').catch((e: NodeJS.ErrnoException) =>
    e.code === 'ENOENT' ? '' : Promise.reject(e),
  );
  return text
    .split('\n')
    .filter((l) => l.length)
    .map((l) => JSON.parse(l) as AuditEntry);
}

export function checkpointsPathOf(auditLogPath: string): string {
  return join(dirname(auditLogPath), 'audit-checkpoints.jsonl');
}

/**
 * Every point the chain must still pass through: the checkpoints kept beside the log (each
 * with the entry that recorded it) and those recorded inside the log's own entries.
 */
export async function knownAnchors(
  auditLogPath: string,
  entries: AuditEntry[],
): Promise<ChainAnchor[]> {
  const anchors: ChainAnchor[] = [];
  const text = await readFile(checkpointsPathOf(auditLogPath), 'utf8').catch(() => '');
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let record: AuditCheckpoint & { recordedIn?: { entries: number; hash: string } };
    try {
      record = JSON.parse(line);
    } catch {
      continue; // a torn last line: the write never finished
    }
    if (Number.isSafeInteger(record.entries) && typeof record.hash === 'string')
      anchors.push({
        entries: record.entries,
        hash: record.hash,
        source: `checkpoint of ${record.time} (audit-checkpoints.jsonl)`,
      });
    if (record.recordedIn && Number.isSafeInteger(record.recordedIn.entries))
      anchors.push({
        entries: record.recordedIn.entries,
        hash: record.recordedIn.hash,
        source: `the entry that recorded the checkpoint of ${record.time} (audit-checkpoints.jsonl)`,
      });
  }
  for (const e of entries) {
    const c = e.details?.checkpoint as AuditCheckpoint | undefined;
    if (c && Number.isSafeInteger(c.entries) && typeof c.hash === 'string')
      anchors.push({
        entries: c.entries,
        hash: c.hash,
        source: `checkpoint recorded in entry ${e.seq}`,
      });
  }
  return anchors;
}

/** The first anchor the chain does not pass through: too short for it, or another hash at its entry. */
export function anchorProblem(
  entries: AuditEntry[],
  anchors: ChainAnchor[],
): { code: 'AUDIT_TRUNCATED' | 'AUDIT_CHECKPOINT_MISMATCH'; message: string } | undefined {
  for (const a of [...anchors].sort((x, y) => y.entries - x.entries)) {
    if (a.entries > entries.length)
      return {
        code: 'AUDIT_TRUNCATED',
        message: `the audit log has ${entries.length} entries but ${a.source} says it had ${a.entries}: entries were removed from its end`,
      };
  }
  for (const a of [...anchors].sort((x, y) => x.entries - y.entries)) {
    if (a.entries === 0) continue;
    const entry = entries[a.entries - 1]!;
    if (entry.hash !== a.hash)
      return {
        code: 'AUDIT_CHECKPOINT_MISMATCH',
        message: `entry ${a.entries} hashes to ${entry.hash}, but ${a.source} says ${a.hash}: the log was rewritten up to there`,
      };
  }
  return undefined;
}

/** Walks the chain from the start; a missing file is an empty, intact log. */
export async function verifyAuditLog(path: string): Promise<AuditVerification> {
  return verifyAuditText(
    await readFile(path, 'utf8').catch((e: NodeJS.ErrnoException) =>
      e.code === 'ENOENT' ? '' : Promise.reject(e),
    ),
  );
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
    const broken = (reason: string): AuditVerification => ({
      ok: false,
      entries: count,
      brokenAt: seq,
      line: i + 1,
      reason,
    });
    if (torn && i === lines.length - 1)
      return broken('the last entry is incomplete (the writer stopped mid-line)');
    let entry: AuditEntry;
    try {
      entry = JSON.parse(line) as AuditEntry;
    } catch {
      return broken('the entry is not valid JSON (altered or corrupted)');
    }
    if (JSON.stringify(entry) !== line)
      return broken("the entry's bytes differ from the form it was written in (altered)");
    if (entry.seq !== seq)
      return broken(
        `sequence number ${entry.seq} where ${seq} was expected (an entry was removed or inserted)`,
      );
    if (entry.prevHash !== prev)
      return broken(
        'its link to the previous entry does not match (an earlier entry was changed, removed or inserted)',
      );
    const { hash, ...body } = entry;
    if (entryHash(body) !== hash)
      return broken('its content does not match its hash (the entry was altered)');
    prev = hash;
    count = seq;
  }
  return { ok: true, entries: count, lastHash: prev };
}
