/**
 * Where each part of a workstation's records lives in its data folder, defined once here:
 *
 *   neoscope.sqlite            the index (instances, accounts, drafts, patients…), WAL
 *   owner.json, neoscope.sqlite.lock  which process holds the index (one workstation per
 *                              folder; the lock is SQLite's, see core/store/database.ts)
 *   objects/<2 hex>/<62 hex>   content-addressed files: images, overlays, received results
 *   audit.log                  the hash-chained audit log
 *   audit-checkpoints.jsonl    checkpoints that left the machine (beside the log, see
 *                              core/audit/audit-log.ts)
 *   reports/<reportId>/v<N>.json  frozen signed reports
 *   site/                      the site key, partner keys and the re-identification table
 *                              (core/exchange)
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export interface DataLayout {
  folder: string;
  database: string;
  owner: string;
  lock: string;
  objects: string;
  auditLog: string;
  reports: string;
  site: string;
}

export function dataLayout(folder: string): DataLayout {
  return {
    folder,
    database: join(folder, 'neoscope.sqlite'),
    owner: join(folder, 'owner.json'),
    lock: join(folder, 'neoscope.sqlite.lock'),
    objects: join(folder, 'objects'),
    auditLog: join(folder, 'audit.log'),
    reports: join(folder, 'reports'),
    site: join(folder, 'site'),
  };
}

/** A folder a workstation has used: it holds the index. */
export function isDataFolder(folder: string): boolean {
  return existsSync(dataLayout(folder).database);
}
