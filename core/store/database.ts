/**
 * The workstation's index: one SQLite database (WAL) per data folder. SQLite runs as
 * WebAssembly (node-sqlite3-wasm), so nothing native has to be built on a hospital PC.
 * WAL without shared memory needs EXCLUSIVE locking: one workstation process owns its
 * data folder, which is also what keeps two windows from grading the same exam at once.
 * synchronous=FULL: a transaction that returned is on disk, whatever happens next.
 */
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import sqlite from 'node-sqlite3-wasm';
import { CodedError } from '../base/errors.ts';
import { dataLayout, type DataLayout } from './data-layout.ts';

export type SqlValue = string | number | bigint | null | Uint8Array | boolean;
export type Row = Record<string, SqlValue>;

export class StoreError extends CodedError<
  'STORE_LOCKED' | 'STORE_UNREADABLE' | 'STORE_NEWER_SCHEMA'
> {}

/** Each entry moves the schema one version on; never edit a released one. */
const MIGRATIONS: string[] = [
  `CREATE TABLE instances (
     id TEXT PRIMARY KEY,
     kind TEXT NOT NULL CHECK (kind IN ('dicom', 'photo')),
     summary_json TEXT NOT NULL,
     sop_instance_uid TEXT,
     patient_id TEXT,
     study_uid TEXT,
     domain TEXT,
     source_site TEXT,
     imported_at TEXT NOT NULL
   );
   CREATE INDEX instances_sop ON instances (sop_instance_uid);
   CREATE INDEX instances_patient ON instances (patient_id);
   CREATE TABLE users (
     username TEXT PRIMARY KEY,
     display_name TEXT NOT NULL,
     role TEXT NOT NULL CHECK (role IN ('technician', 'ophthalmologist', 'radiologist', 'admin')),
     password_hash TEXT NOT NULL,
     failed_attempts INTEGER NOT NULL DEFAULT 0,
     locked_until TEXT,
     created_at TEXT NOT NULL
   );
   CREATE TABLE report_drafts (
     report_id TEXT PRIMARY KEY,
     content_json TEXT NOT NULL,
     updated_by TEXT NOT NULL,
     updated_at TEXT NOT NULL
   );
   CREATE TABLE field_changes (
     id INTEGER PRIMARY KEY,
     report_id TEXT NOT NULL,
     field TEXT NOT NULL,
     from_value TEXT,
     to_value TEXT,
     who TEXT NOT NULL,
     at TEXT NOT NULL
   );
   CREATE INDEX field_changes_report ON field_changes (report_id);`,
  `CREATE TABLE patients (
     patient_id TEXT PRIMARY KEY,
     birth_date TEXT NOT NULL,
     ga_weeks INTEGER NOT NULL CHECK (ga_weeks BETWEEN 20 AND 44),
     ga_days INTEGER NOT NULL CHECK (ga_days BETWEEN 0 AND 6),
     updated_by TEXT NOT NULL,
     updated_at TEXT NOT NULL
   );`,
  `CREATE TABLE received_results (
     batch_id TEXT NOT NULL,
     from_site TEXT NOT NULL,
     report_id TEXT NOT NULL,
     version INTEGER NOT NULL,
     pseudonym TEXT NOT NULL,
     patient_id TEXT NOT NULL,
     study_uid TEXT NOT NULL,
     content_hash TEXT NOT NULL,
     sr_received TEXT NOT NULL,
     sr_reidentified TEXT NOT NULL,
     pdf TEXT,
     received_at TEXT NOT NULL,
     PRIMARY KEY (from_site, report_id, version)
   );
   CREATE INDEX received_results_patient ON received_results (patient_id);`,
  `CREATE TABLE analyses (
     report_id TEXT NOT NULL,
     model TEXT NOT NULL,
     at TEXT NOT NULL,
     notes_json TEXT NOT NULL,
     PRIMARY KEY (report_id, model)
   );`,
  `CREATE TABLE exam_views (
     report_id TEXT NOT NULL,
     username TEXT NOT NULL,
     first_viewed_at TEXT NOT NULL,
     PRIMARY KEY (report_id, username)
   );
   CREATE TABLE result_exports (
     report_id TEXT NOT NULL,
     version INTEGER NOT NULL,
     batch_id TEXT NOT NULL,
     exported_by TEXT NOT NULL,
     exported_at TEXT NOT NULL,
     PRIMARY KEY (report_id, version, batch_id)
   );
   CREATE TABLE annotations (
     id TEXT PRIMARY KEY,
     instance_id TEXT NOT NULL,
     kind TEXT NOT NULL,
     points_json TEXT NOT NULL,
     label TEXT NOT NULL,
     created_by TEXT NOT NULL,
     created_at TEXT NOT NULL
   );
   CREATE INDEX annotations_instance ON annotations (instance_id);`,
  // Accounts an admin has disabled (they cannot sign in); NULL while the account is active.
  `ALTER TABLE users ADD COLUMN disabled_at TEXT;`,
  // Each signer's Ed25519 key: the private key sealed under their password (users), and every
  // public key an account ever had (signing_keys; retired_at set when a reset replaced it).
  `ALTER TABLE users ADD COLUMN signing_key_sealed TEXT;
   CREATE TABLE signing_keys (
     username TEXT NOT NULL,
     public_key TEXT NOT NULL,
     fingerprint TEXT NOT NULL,
     created_at TEXT NOT NULL,
     retired_at TEXT,
     audit_seq INTEGER,
     PRIMARY KEY (username, public_key)
   );`,
  // What ROP screening eligibility, due dates and G-ROP need besides birth date and GA: birth
  // weight, the clinician's flags, the BPD grade at 36 weeks PMA (Jensen 2019) and the
  // infant's weights over time.
  `ALTER TABLE patients ADD COLUMN birth_weight_g INTEGER;
   ALTER TABLE patients ADD COLUMN unstable_course INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE patients ADD COLUMN hydrocephalus INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE patients ADD COLUMN bpd_grade TEXT;
   CREATE TABLE patient_weights (
     patient_id TEXT NOT NULL,
     date TEXT NOT NULL,
     grams INTEGER NOT NULL,
     entered_by TEXT NOT NULL,
     entered_at TEXT NOT NULL,
     PRIMARY KEY (patient_id, date)
   );`,
  // A saved measurement's numbers, computed by the workstation from its points and the image's
  // spacing (JSON); NULL in rows saved before, which are measured from their points when read.
  `ALTER TABLE annotations ADD COLUMN values_json TEXT;`,
];

export interface Database {
  all(sql: string, values?: SqlValue[]): Row[];
  get(sql: string, values?: SqlValue[]): Row | undefined;
  run(sql: string, values?: SqlValue[]): void;
  /** Runs fn inside BEGIN IMMEDIATE … COMMIT; any throw rolls everything back. */
  transaction<T>(fn: () => T): T;
  integrityCheck(): string;
  close(): void;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The WASM SQLite's file lock is a "<db>.lock" directory, which a killed process leaves
 * behind. owner.json names the process that holds it: a lock whose owner is gone (same
 * machine) is cleared; a live owner, or one on another machine, is reported.
 */
function clearStaleLock(layout: DataLayout): void {
  const { database: path, lock, owner: ownerFile } = layout;
  if (!existsSync(lock)) return;
  let owner: { pid?: number; host?: string } = {};
  try {
    owner = JSON.parse(readFileSync(ownerFile, 'utf8'));
  } catch {
    /* no owner recorded */
  }
  if (owner.host === hostname() && owner.pid && !processAlive(owner.pid)) {
    rmdirSync(lock);
    return;
  }
  const who = owner.pid ? `process ${owner.pid} on ${owner.host}` : 'an unknown process';
  throw new StoreError(
    'STORE_LOCKED',
    `${path} is in use by ${who}. Close that NeoScope first; if it is no longer running, remove the folder ${lock}.`,
  );
}

export function openDatabase(dataFolder: string): Database {
  mkdirSync(dataFolder, { recursive: true });
  const layout = dataLayout(dataFolder);
  const path = layout.database;
  clearStaleLock(layout);
  let db: InstanceType<typeof sqlite.Database>;
  try {
    db = new sqlite.Database(path);
    db.exec('PRAGMA locking_mode = EXCLUSIVE');
    db.exec('PRAGMA journal_mode = WAL');
    db.exec('PRAGMA synchronous = FULL');
    db.exec('PRAGMA foreign_keys = ON');
    // Take the exclusive lock now, so a second process fails here with a clear message.
    db.exec('BEGIN IMMEDIATE; COMMIT');
    writeFileSync(
      layout.owner,
      JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() }),
    );
  } catch (error) {
    const message = (error as Error).message;
    if (/locked|busy/i.test(message))
      throw new StoreError(
        'STORE_LOCKED',
        `${path} is in use by another NeoScope process; close it first`,
      );
    throw new StoreError('STORE_UNREADABLE', `${path} could not be opened: ${message}`);
  }
  const version = Number((db.get('PRAGMA user_version') as Row).user_version);
  if (version > MIGRATIONS.length) {
    db.close();
    throw new StoreError(
      'STORE_NEWER_SCHEMA',
      `${path} was written by a newer NeoScope (schema ${version}); this version knows ${MIGRATIONS.length}`,
    );
  }
  for (let v = version; v < MIGRATIONS.length; v++) {
    db.exec('BEGIN IMMEDIATE');
    try {
      db.exec(MIGRATIONS[v]!);
      db.exec(`PRAGMA user_version = ${v + 1}`);
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  }
  let depth = 0;
  return {
    all: (sql, values = []) => db.all(sql, values as never) as Row[],
    get: (sql, values = []) => (db.get(sql, values as never) as Row | null) ?? undefined,
    run: (sql, values = []) => void db.run(sql, values as never),
    transaction(fn) {
      if (depth) return fn(); // nested: part of the outer transaction
      db.exec('BEGIN IMMEDIATE');
      depth++;
      try {
        const result = fn();
        db.exec('COMMIT');
        return result;
      } catch (error) {
        db.exec('ROLLBACK');
        throw error;
      } finally {
        depth--;
      }
    },
    integrityCheck: () => String((db.get('PRAGMA integrity_check') as Row).integrity_check),
    close: () => db.close(),
  };
}
