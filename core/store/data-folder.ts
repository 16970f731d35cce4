/**
 * One workstation's data folder: the SQLite index, the object store, the audit log and the
 * signed reports, opened together. Where it lives: Electron's userData/data, the browser
 * host's NEOSCOPE_DATA or ~/.local/share/neoscope (XDG_DATA_HOME respected).
 *
 * Each import's audit entry records the SHA-256 of the instance's summary and of the
 * patient's name and ID, so `audit verify` notices a summary changed in SQLite later.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { AuditLog, readAuditEntries, recoverAuditTail } from '../audit/audit-log.ts';
import { instanceHashes, unauditedTail } from '../audit/replay.ts';
import { dataPaths, registerOpenDatabase } from '../audit/verify-store.ts';
import { recoverSignedReports, SignedReportStore } from '../reports/signed-reports.ts';
import { openDatabase, type Database } from './database.ts';
import { createInstanceStore } from './instance-store.ts';
import { ObjectStore } from './object-store.ts';
import { createLibrary, type InstanceStore, type Library } from '../library/library.ts';
import { PatientRecords } from '../patients/patient-records.ts';
import { recordPatientFromImport } from '../patients/patient-from-import.ts';

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
  const objects = new ObjectStore(join(folder, 'objects'));
  const paths = dataPaths(folder);
  const audit = new AuditLog(paths.auditLog);
  const recovered: string[] = [];
  const tail = await recoverAuditTail(audit);
  if (tail) recovered.push(tail);
  recovered.push(
    ...(await recoverSignedReports(paths.reports, await readAuditEntries(paths.auditLog))),
  );
  // A change the database committed just before a crash, whose audit entry was never written.
  for (const details of unauditedTail(db, await readAuditEntries(paths.auditLog))) {
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
    reports: new SignedReportStore(paths.reports, audit, undefined, keyHistory),
    close,
    recovered,
  };
}

/** The library of a data folder: files stored durably, each import recorded in the audit log. */
export function libraryFor(data: DataFolder): Library {
  const patients = new PatientRecords(data.db, data.audit);
  return createLibrary({
    store: data.instances,
    recordPatient: (metadata, actor) => recordPatientFromImport(patients, metadata, actor),
    onImported: async (summary, actor) =>
      void (await data.audit.append({
        actor,
        action: 'import',
        subject: summary.instanceId,
        details: {
          fileName: summary.fileName,
          patientId: summary.patientId,
          sopInstanceUid: summary.sopInstanceUid,
          sourceSite: summary.sourceSite,
          ...instanceHashes(JSON.parse(JSON.stringify(summary))),
        },
      })),
  });
}
