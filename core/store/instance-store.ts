/**
 * The library's durable storage: bytes in the object store, summaries in the SQLite index.
 * Order matters for crash safety: the object is durable before the row that names it is
 * committed, so a row always has its bytes; the import is reported only after the commit.
 */
import type { InstanceSummary } from '../base/schemas.ts';
import type { InstanceStore } from '../library/library.ts';
import type { Database } from './database.ts';
import type { ObjectStore } from './object-store.ts';

export function createInstanceStore(
  db: Database,
  objects: ObjectStore,
  now: () => Date = () => new Date(),
): InstanceStore {
  return {
    list() {
      return db.all('SELECT kind, summary_json FROM instances ORDER BY rowid').map((row) => ({
        kind: row.kind as 'dicom' | 'photo',
        summary: JSON.parse(String(row.summary_json)) as InstanceSummary,
      }));
    },
    async save(kind, summary, bytes) {
      const sha = await objects.put(bytes);
      if (sha !== summary.instanceId)
        throw new Error(
          `instance id ${summary.instanceId} is not the SHA-256 of its bytes (${sha})`,
        );
      db.transaction(() =>
        db.run(
          'INSERT OR IGNORE INTO instances (id, kind, summary_json, sop_instance_uid, patient_id, study_uid, domain, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
          [
            summary.instanceId,
            kind,
            JSON.stringify(summary),
            summary.sopInstanceUid || null,
            summary.patientId || null,
            summary.studyInstanceUid || null,
            summary.domain,
            now().toISOString(),
          ],
        ),
      );
    },
    bytes: (instanceId) => objects.get(instanceId),
  };
}
