/**
 * Replaying the audit log against the database. The log records every account change,
 * signing key, patient record edit, import and field change as it happens; the database
 * holds the current state. Replayed in order, the log must arrive at exactly what the
 * database says: an account's role and whether it is disabled, each account's signing keys,
 * each patient record, each imported instance's summary (by SHA-256, patient name and ID
 * separately), and each report's field-change history row by row. A row changed in SQLite
 * directly (a technician made admin, a patient renamed, a history row rewritten) does not
 * match, and is reported with its own code.
 *
 * A crash between a database commit and its audit append leaves one newest change without
 * its entry; `unauditedTail` finds it (the newest field change, the newest instance) so that
 * opening the data folder can record it as a `recovery` entry, visibly.
 */
import { createHash } from 'node:crypto';
import type { AuditEntry } from './audit-log.ts';
import { canonicalJson } from '../base/canonical-json.ts';
import { isSha256Hex } from '../vocabulary/ids.ts';

/** The subset of the store's Database the replay reads (kept structural to avoid a cycle). */
export interface ReplayDatabase {
  all(sql: string, values?: (string | number | null)[]): Record<string, unknown>[];
}

export type ReplayProblemCode =
  | 'ACCOUNT_UNRECORDED'
  | 'ACCOUNT_REMOVED'
  | 'ACCOUNT_ROLE_ALTERED'
  | 'ACCOUNT_STATE_ALTERED'
  | 'SIGNING_KEY_UNRECORDED'
  | 'SIGNING_KEY_REMOVED'
  | 'SIGNING_KEY_ALTERED'
  | 'PATIENT_RECORD_ALTERED'
  | 'PATIENT_RECORD_UNRECORDED'
  | 'PATIENT_IDENTITY_ALTERED'
  | 'INSTANCE_ALTERED'
  | 'INSTANCE_UNRECORDED'
  | 'FIELD_HISTORY_ALTERED';

export interface ReplayProblem {
  code: ReplayProblemCode;
  message: string;
}

export interface AuditedKey {
  username: string;
  publicKey: string;
  fingerprint: string;
  /** The audit entry that recorded the key. */
  seq: number;
  /** The entry that recorded the key that replaced it (a password reset). */
  retiredAt?: number;
}

/** Every signing key the audit log records, per account, oldest first. */
export function signingKeysInAudit(entries: AuditEntry[]): Map<string, AuditedKey[]> {
  const keys = new Map<string, AuditedKey[]>();
  for (const e of entries) {
    if (e.action !== 'signing-key' || !e.subject.startsWith('user:')) continue;
    const d = e.details as { publicKey?: unknown; fingerprint?: unknown } | undefined;
    if (typeof d?.publicKey !== 'string' || typeof d.fingerprint !== 'string') continue;
    const username = e.subject.slice(5);
    const list = keys.get(username) ?? [];
    const previous = list[list.length - 1];
    if (previous?.publicKey === d.publicKey) continue; // recorded twice (an interrupted recording, completed later)
    if (previous && previous.retiredAt === undefined) previous.retiredAt = e.seq;
    list.push({ username, publicKey: d.publicKey, fingerprint: d.fingerprint, seq: e.seq });
    keys.set(username, list);
  }
  return keys;
}

/** A field change as review-service.ts stores it: strings as they are, anything else as JSON. */
export function changeText(value: unknown): string | null {
  return value === null || value === undefined
    ? null
    : typeof value === 'string'
      ? value
      : JSON.stringify(value);
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** What the import entry records of an instance's summary: the whole, and the patient's name and ID alone. */
export function instanceHashes(summary: { patientName?: unknown; patientId?: unknown }): {
  summarySha256: string;
  identitySha256: string;
} {
  return {
    summarySha256: sha256(canonicalJson(summary)),
    identitySha256: sha256(
      canonicalJson({ patientName: summary.patientName ?? '', patientId: summary.patientId ?? '' }),
    ),
  };
}

interface Change {
  field: string;
  from: string | null;
  to: string | null;
  who: string;
  seq: number;
}

function describe(c: {
  field: string;
  from: string | null;
  to: string | null;
  who: string;
}): string {
  return `${c.field}: ${JSON.stringify(c.from)} → ${JSON.stringify(c.to)} by ${c.who}`;
}

/** The field-change history each report must have, from the audit log. */
function auditedChanges(entries: AuditEntry[]): Map<string, Change[]> {
  const byReport = new Map<string, Change[]>();
  const lastAi = new Map<string, unknown>();
  const push = (reportId: string, change: Change) =>
    byReport.set(reportId, [...(byReport.get(reportId) ?? []), change]);
  for (const e of entries) {
    const d = e.details ?? {};
    if (e.action === 'edit' && typeof d.field === 'string')
      push(e.subject, {
        field: d.field,
        from: changeText(d.from),
        to: changeText(d.to),
        who: e.actor,
        seq: e.seq,
      });
    else if (e.action === 'analysis' && typeof d.field === 'string') {
      const key = `${e.subject}\u0000${d.field}`;
      push(e.subject, {
        field: `${d.field} (AI)`,
        from: changeText(lastAi.get(key) ?? null),
        to: changeText(d.value),
        who: e.actor,
        seq: e.seq,
      });
      lastAi.set(key, d.value);
    } else if (e.action === 'recovery' && d.fieldChange && typeof d.fieldChange === 'object') {
      const c = d.fieldChange as {
        reportId: string;
        field: string;
        from: string | null;
        to: string | null;
        who: string;
      };
      push(c.reportId, { field: c.field, from: c.from, to: c.to, who: c.who, seq: e.seq });
      // A recovered AI value is the one the next analysis replaces (compared as text).
      if (c.field.endsWith(' (AI)')) lastAi.set(`${c.reportId}\u0000${c.field.slice(0, -5)}`, c.to);
    }
  }
  return byReport;
}

function databaseChanges(
  db: ReplayDatabase,
): Map<string, (Omit<Change, 'seq'> & { id: number })[]> {
  const byReport = new Map<string, (Omit<Change, 'seq'> & { id: number })[]>();
  for (const r of db.all(
    'SELECT id, report_id, field, from_value, to_value, who FROM field_changes ORDER BY id',
  )) {
    const id = String(r.report_id);
    byReport.set(id, [
      ...(byReport.get(id) ?? []),
      {
        id: Number(r.id),
        field: String(r.field),
        from: r.from_value === null ? null : String(r.from_value),
        to: r.to_value === null ? null : String(r.to_value),
        who: String(r.who),
      },
    ]);
  }
  return byReport;
}

const same = (a: Omit<Change, 'seq'>, b: Omit<Change, 'seq'>) =>
  a.field === b.field && a.from === b.from && a.to === b.to && a.who === b.who;

/** Instances the audit log records an import (or a recovered import) of. */
function auditedInstances(
  entries: AuditEntry[],
): Map<string, { seq: number; summarySha256?: string; identitySha256?: string }> {
  const found = new Map<string, { seq: number; summarySha256?: string; identitySha256?: string }>();
  for (const e of entries) {
    const d = e.details ?? {};
    if (e.action === 'import' && isSha256Hex(e.subject) && !found.has(e.subject)) {
      found.set(e.subject, {
        seq: e.seq,
        ...(typeof d.summarySha256 === 'string'
          ? { summarySha256: d.summarySha256, identitySha256: String(d.identitySha256) }
          : {}),
      });
    } else if (
      e.action === 'recovery' &&
      typeof d.instance === 'string' &&
      !found.has(d.instance)
    ) {
      found.set(d.instance, {
        seq: e.seq,
        summarySha256: String(d.summarySha256),
        identitySha256: String(d.identitySha256),
      });
    }
  }
  return found;
}

export interface ReplayResult {
  problems: ReplayProblem[];
  counts: {
    accounts: number;
    keys: number;
    patients: number;
    instances: number;
    legacyInstances: number;
    fieldChanges: number;
  };
}

export function replayAgainstDatabase(db: ReplayDatabase, entries: AuditEntry[]): ReplayResult {
  const problems: ReplayProblem[] = [];
  const problem = (code: ReplayProblemCode, message: string) => problems.push({ code, message });

  // Accounts: created with a role, disabled and enabled; a role change would be an edit with `role`.
  const accounts = new Map<
    string,
    { role: string; disabled: boolean; seq: number; roleSeq: number }
  >();
  for (const e of entries) {
    if (e.action !== 'edit' || !e.subject.startsWith('user:')) continue;
    const d = e.details ?? {};
    const name = e.subject.slice(5);
    if (d.created === true)
      accounts.set(name, { role: String(d.role), disabled: false, seq: e.seq, roleSeq: e.seq });
    const account = accounts.get(name);
    if (!account) continue;
    if (typeof d.role === 'string' && d.created !== true)
      Object.assign(account, { role: d.role, roleSeq: e.seq });
    if (typeof d.disabled === 'boolean') account.disabled = d.disabled;
  }
  const rows = db.all('SELECT username, role, disabled_at FROM users ORDER BY username');
  for (const r of rows) {
    const name = String(r.username);
    const audited = accounts.get(name);
    if (!audited) {
      problem(
        'ACCOUNT_UNRECORDED',
        `account ${name} (${String(r.role)}) is in the database but the audit log never recorded its creation: it was added outside NeoScope`,
      );
      continue;
    }
    if (String(r.role) !== audited.role)
      problem(
        'ACCOUNT_ROLE_ALTERED',
        `account ${name} is ${String(r.role)} in the database, but the audit log gives ${audited.role} (entry ${audited.roleSeq}): the role was changed outside NeoScope`,
      );
    const disabled = r.disabled_at !== null && r.disabled_at !== undefined;
    if (disabled !== audited.disabled)
      problem(
        'ACCOUNT_STATE_ALTERED',
        `account ${name} is ${disabled ? 'disabled' : 'enabled'} in the database, but the audit log last recorded it ${audited.disabled ? 'disabled' : 'enabled'}`,
      );
  }
  const inDb = new Set(rows.map((r) => String(r.username)));
  for (const [name, a] of accounts)
    if (!inDb.has(name))
      problem(
        'ACCOUNT_REMOVED',
        `account ${name} (created at entry ${a.seq}) is missing from the database`,
      );

  // Signing keys: the same keys, the same one current.
  const keys = signingKeysInAudit(entries);
  const keyRows = db.all(
    'SELECT username, public_key, fingerprint, retired_at FROM signing_keys ORDER BY username, created_at',
  );
  for (const r of keyRows) {
    const list = keys.get(String(r.username)) ?? [];
    const audited = list.find((k) => k.publicKey === String(r.public_key));
    if (!audited)
      problem(
        'SIGNING_KEY_UNRECORDED',
        `signing key ${String(r.fingerprint)} of ${String(r.username)} is in the database but not in the audit log: it was planted outside NeoScope`,
      );
    else if (
      (r.retired_at === null || r.retired_at === undefined) !==
      (audited === list[list.length - 1])
    )
      problem(
        'SIGNING_KEY_ALTERED',
        `signing key ${audited.fingerprint} of ${audited.username} is ${r.retired_at ? 'retired' : 'current'} in the database, but the audit log says ${audited === list[list.length - 1] ? 'current' : 'replaced'}`,
      );
  }
  for (const [name, list] of keys) {
    for (const k of list)
      if (!keyRows.some((r) => String(r.username) === name && String(r.public_key) === k.publicKey))
        problem(
          'SIGNING_KEY_REMOVED',
          `signing key ${k.fingerprint} of ${name} (audit entry ${k.seq}) is missing from the database`,
        );
  }

  // Patient records (birth date, gestational age): the last `to` of each.
  const patients = new Map<
    string,
    { birthDate: string; gaWeeks: number; gaDays: number; seq: number }
  >();
  for (const e of entries) {
    if (e.action !== 'edit' || !e.subject.startsWith('patient:')) continue;
    const to = e.details?.to as
      { birthDate?: string; gaWeeks?: number; gaDays?: number } | undefined;
    if (to && typeof to.birthDate === 'string')
      patients.set(e.subject.slice(8), {
        birthDate: to.birthDate,
        gaWeeks: Number(to.gaWeeks),
        gaDays: Number(to.gaDays),
        seq: e.seq,
      });
  }
  const patientRows = db.all(
    'SELECT patient_id, birth_date, ga_weeks, ga_days FROM patients ORDER BY patient_id',
  );
  for (const r of patientRows) {
    const id = String(r.patient_id);
    const audited = patients.get(id);
    if (!audited)
      problem(
        'PATIENT_RECORD_UNRECORDED',
        `patient ${id}'s record (born ${String(r.birth_date)}) is in the database but no audit entry recorded it`,
      );
    else if (
      String(r.birth_date) !== audited.birthDate ||
      Number(r.ga_weeks) !== audited.gaWeeks ||
      Number(r.ga_days) !== audited.gaDays
    ) {
      problem(
        'PATIENT_RECORD_ALTERED',
        `patient ${id}: born ${String(r.birth_date)} at ${Number(r.ga_weeks)}+${Number(r.ga_days)} weeks in the database, but the audit log last recorded born ${audited.birthDate} at ${audited.gaWeeks}+${audited.gaDays} (entry ${audited.seq})`,
      );
    }
  }

  // Instances: the summary (patient name and ID above all) as recorded at import.
  const imported = auditedInstances(entries);
  let legacyInstances = 0;
  const instanceRows = db.all('SELECT id, summary_json FROM instances ORDER BY rowid');
  for (const r of instanceRows) {
    const id = String(r.id);
    const audited = imported.get(id);
    if (!audited) {
      problem(
        'INSTANCE_UNRECORDED',
        `instance ${id.slice(0, 12)}… is in the database but the audit log never recorded its import`,
      );
      continue;
    }
    if (!audited.summarySha256) {
      legacyInstances++;
      continue;
    }
    let summary: { patientName?: unknown; patientId?: unknown; fileName?: unknown };
    try {
      summary = JSON.parse(String(r.summary_json));
    } catch {
      problem(
        'INSTANCE_ALTERED',
        `instance ${id.slice(0, 12)}…: its summary in the database is not valid JSON`,
      );
      continue;
    }
    const now = instanceHashes(summary);
    if (now.identitySha256 !== audited.identitySha256)
      problem(
        'PATIENT_IDENTITY_ALTERED',
        `instance ${id.slice(0, 12)}… (${String(summary.fileName)}): the patient's name or ID in the database (now ${JSON.stringify(summary.patientName)}, ${JSON.stringify(summary.patientId)}) is not what was imported (audit entry ${audited.seq}): the patient was renamed outside NeoScope`,
      );
    else if (now.summarySha256 !== audited.summarySha256)
      problem(
        'INSTANCE_ALTERED',
        `instance ${id.slice(0, 12)}… (${String(summary.fileName)}): its summary in the database differs from the one recorded at import (audit entry ${audited.seq})`,
      );
  }

  // Field-change history, row by row per report.
  const expected = auditedChanges(entries);
  const actual = databaseChanges(db);
  let fieldChanges = 0;
  for (const reportId of [...new Set([...expected.keys(), ...actual.keys()])].sort()) {
    const want = expected.get(reportId) ?? [];
    const have = actual.get(reportId) ?? [];
    fieldChanges += have.length;
    for (let i = 0; i < Math.max(want.length, have.length); i++) {
      const w = want[i];
      const h = have[i];
      if (w && h && same(w, h)) continue;
      if (w && h)
        problem(
          'FIELD_HISTORY_ALTERED',
          `report ${reportId}: change ${i + 1} in the database (row ${h.id}) reads "${describe(h)}", but the audit log recorded "${describe(w)}" (entry ${w.seq}): the history was rewritten`,
        );
      else if (h)
        problem(
          'FIELD_HISTORY_ALTERED',
          `report ${reportId}: change ${i + 1} in the database (row ${h.id}, "${describe(h)}") has no audit entry: it was added outside NeoScope`,
        );
      else
        problem(
          'FIELD_HISTORY_ALTERED',
          `report ${reportId}: the audit log records change ${i + 1} ("${describe(w!)}", entry ${w!.seq}) but the database has no such row: it was removed`,
        );
      break;
    }
  }

  return {
    problems,
    counts: {
      accounts: rows.length,
      keys: keyRows.length,
      patients: patientRows.length,
      instances: instanceRows.length,
      legacyInstances,
      fieldChanges,
    },
  };
}

/**
 * The newest field change and the newest instance, when the audit log lacks exactly them:
 * what a crash between the database commit and the audit append leaves. Returned as the
 * details of the `recovery` entries that record them.
 */
export function unauditedTail(
  db: ReplayDatabase,
  entries: AuditEntry[],
): Record<string, unknown>[] {
  const recoveries: Record<string, unknown>[] = [];
  const newest = db.all(
    'SELECT id, report_id, field, from_value, to_value, who FROM field_changes ORDER BY id DESC LIMIT 1',
  )[0];
  if (newest) {
    const reportId = String(newest.report_id);
    const want = auditedChanges(entries).get(reportId) ?? [];
    const have = databaseChanges(db).get(reportId) ?? [];
    if (have.length === want.length + 1 && want.every((w, i) => same(w, have[i]!))) {
      const last = have[have.length - 1]!;
      recoveries.push({
        fieldChange: { reportId, field: last.field, from: last.from, to: last.to, who: last.who },
        note: 'a field change the database committed without its audit entry (the process was interrupted in between)',
      });
    }
  }
  const instance = db.all('SELECT id, summary_json FROM instances ORDER BY rowid DESC LIMIT 1')[0];
  if (instance && !auditedInstances(entries).has(String(instance.id))) {
    try {
      recoveries.push({
        instance: String(instance.id),
        ...instanceHashes(JSON.parse(String(instance.summary_json))),
        note: 'an import the database committed without its audit entry (the process was interrupted in between)',
      });
    } catch {
      /* an unreadable summary is left for audit verify to report */
    }
  }
  return recoveries;
}
