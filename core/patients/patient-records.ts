/** Gestational age at birth and birth date per patient, entered by staff; every change audited. */
import { CodedError } from '../api/errors.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { Database } from '../store/database.ts';
import { parseDate, type PatientRecord } from './trajectory.ts';

export class PatientError extends CodedError<'PATIENT_INVALID'> {}

export class PatientRecords {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditLog,
    private readonly now: () => Date = () => new Date(),
  ) {}

  get(patientId: string): PatientRecord | undefined {
    const row = this.db.get('SELECT * FROM patients WHERE patient_id = ?', [patientId]);
    return row
      ? {
          patientId,
          birthDate: String(row.birth_date),
          gaWeeks: Number(row.ga_weeks),
          gaDays: Number(row.ga_days),
        }
      : undefined;
  }

  async set(record: PatientRecord, who: string): Promise<PatientRecord> {
    const birth = parseDate(record.birthDate);
    if (!birth)
      throw new PatientError(
        'PATIENT_INVALID',
        `birth date "${record.birthDate}" is not a date (YYYY-MM-DD)`,
      );
    if (birth > this.now())
      throw new PatientError('PATIENT_INVALID', 'the birth date is in the future');
    if (!Number.isInteger(record.gaWeeks) || record.gaWeeks < 20 || record.gaWeeks > 44)
      throw new PatientError(
        'PATIENT_INVALID',
        'gestational age at birth is 20–44 completed weeks',
      );
    if (!Number.isInteger(record.gaDays) || record.gaDays < 0 || record.gaDays > 6)
      throw new PatientError('PATIENT_INVALID', 'the days part of the gestational age is 0–6');
    const birthDate = birth.toISOString().slice(0, 10);
    const before = this.get(record.patientId);
    this.db.transaction(() =>
      this.db.run(
        'INSERT INTO patients (patient_id, birth_date, ga_weeks, ga_days, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (patient_id) DO UPDATE SET birth_date = excluded.birth_date, ga_weeks = excluded.ga_weeks, ga_days = excluded.ga_days, updated_by = excluded.updated_by, updated_at = excluded.updated_at',
        [record.patientId, birthDate, record.gaWeeks, record.gaDays, who, this.now().toISOString()],
      ),
    );
    const after = { ...record, birthDate };
    await this.audit.append({
      actor: who,
      action: 'edit',
      subject: `patient:${record.patientId}`,
      details: { from: before ?? null, to: after },
    });
    return after;
  }
}
