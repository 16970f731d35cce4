/**
 * One workstation's data folder opened: the SQLite index, the object store, the audit log and
 * the signed reports (where each lives: data-layout.ts), with whatever a crash interrupted
 * finished or undone. Where the folder is: Electron's userData/data, the browser host's
 * NEOSCOPE_DATA or ~/.local/share/neoscope (XDG_DATA_HOME respected).
 *
 * These are the records only; the services that work on them (accounts, patients, the
 * library with its audited imports, review) are built once in core/workstation/services.ts.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { AuditLog, readAuditEntries, recoverAuditTail } from '../audit/audit-log.ts';
import { unauditedTail } from '../audit/replay.ts';
import { recoverSignedReports, SignedReportStore } from '../reports/signed-reports.ts';
import { openDatabase, type Database } from './database.ts';
import { dataLayout } from './data-layout.ts';
import { createInstanceStore } from './instance-store.ts';
import { ObjectStore } from './object-store.ts';
import { registerOpenDatabase } from './verify-data-folder.ts';
import type { InstanceStore } from '../library/library.ts';

export interface DataFolder {
  folder: string;
  db: Database;
  objects: ObjectStore;
  instances: InstanceStore;
  audit: AuditLog;
  reports: SignedReportStore;
  close(): void;
}

export function defaultDataFolder(env: NodeJS.ProcessEnv = process.env): string {
  if (env.NEOSCOPE_DATA) return env.NEOSCOPE_DATA;
  return join(env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'neoscope');
}

/** Opens the folder and finishes or undoes whatever a crash interrupted; `recovered` says what. */
export async function openDataFolder(
  folder: string,
): Promise<DataFolder & { recovered: string[] }> {
  const db = openDatabase(folder);
  const layout = dataLayout(folder);
  const objects = new ObjectStore(layout.objects);
  const audit = new AuditLog(layout.auditLog);
  const recovered: string[] = [];
  const tail = await recoverAuditTail(audit);
  if (tail) recovered.push(tail);
  recovered.push(
    ...(await recoverSignedReports(layout.reports, await readAuditEntries(layout.auditLog))),
  );
  // A change the database committed just before a crash, whose audit entry was never written.
  for (const details of unauditedTail(db, await readAuditEntries(layout.auditLog))) {
    await audit.append({
      actor: 'system',
      action: 'recovery',
      subject:
        'fieldChange' in details
          ? String((details.fieldChange as { reportId: string }).reportId)
          : String(details.instance),
      details,
    });
    recovered.push(
      `recorded ${'fieldChange' in details ? 'a field change' : 'an import'} the database had committed without its audit entry`,
    );
  }
  const keyHistory = (username: string) =>
    db
      .all('SELECT public_key, fingerprint FROM signing_keys WHERE username = ?', [username])
      .map((r) => ({ publicKey: String(r.public_key), fingerprint: String(r.fingerprint) }));
  registerOpenDatabase(folder, db);
  const close = () => {
    registerOpenDatabase(folder, undefined);
    db.close();
  };
  return {
    folder,
    db,
    objects,
    instances: createInstanceStore(db, objects),
    audit,
    reports: new SignedReportStore(layout.reports, audit, undefined, keyHistory),
    close,
    recovered,
  };
}
