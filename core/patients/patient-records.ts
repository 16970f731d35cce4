/**
 * Per patient, entered by staff (or taken from an import): birth date, gestational age and
 * weight at birth, the clinical flags ROP screening uses, the BPD grade, and weights over
 * time for G-ROP. Every change is audited.
 */
import { CodedError } from '../base/errors.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { Database } from '../store/database.ts';
import { BPD_GRADES, parseDate, type BpdGrade, type PatientRecord } from './trajectory.ts';

export class PatientError extends CodedError<'PATIENT_INVALID'> {}

export class PatientRecords {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditLog,
    private readonly now: () => Date = () => new Date(),
  ) {}

  get(patientId: string): PatientRecord | undefined {
    const row = this.db.get('SELECT * FROM patients WHERE patient_id = ?', [patientId]);
    if (!row) return undefined;
    return {
      patientId,
      birthDate: String(row.birth_date),
      gaWeeks: Number(row.ga_weeks),
      gaDays: Number(row.ga_days),
      ...(row.birth_weight_g !== null && row.birth_weight_g !== undefined
        ? { birthWeightGrams: Number(row.birth_weight_g) }
        : {}),
      ...(Number(row.unstable_course) ? { unstableCourse: true } : {}),
      ...(Number(row.hydrocephalus) ? { hydrocephalus: true } : {}),
      ...(row.bpd_grade ? { bpdGrade: String(row.bpd_grade) as BpdGrade } : {}),
    };
  }

  /** The infant's recorded weights, oldest first. */
  weights(patientId: string): { date: string; grams: number }[] {
    return this.db
      .all('SELECT date, grams FROM patient_weights WHERE patient_id = ? ORDER BY date', [
        patientId,
      ])
      .map((r) => ({ date: String(r.date), grams: Number(r.grams) }));
  }

  /** Records weights (a later entry for the same date replaces the earlier one). */
  async addWeights(
    patientId: string,
    weights: { date: string; grams: number }[],
    who: string,
  ): Promise<{ date: string; grams: number }[]> {
    for (const w of weights) {
      if (!parseDate(w.date))
        throw new PatientError('PATIENT_INVALID', `weight date "${w.date}" is not a date`);
      if (!Number.isInteger(w.grams) || w.grams < 200 || w.grams > 8000)
        throw new PatientError(
          'PATIENT_INVALID',
          `a weight of ${w.grams} g on ${w.date} is outside 200–8000 g`,
        );
    }
    const at = this.now().toISOString();
    this.db.transaction(() => {
      for (const w of weights)
        this.db.run(
          'INSERT INTO patient_weights (patient_id, date, grams, entered_by, entered_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (patient_id, date) DO UPDATE SET grams = excluded.grams, entered_by = excluded.entered_by, entered_at = excluded.entered_at',
          [patientId, parseDate(w.date)!.toISOString().slice(0, 10), w.grams, who, at],
        );
    });
    await this.audit.append({
      actor: who,
      action: 'edit',
      subject: `patient:${patientId}`,
      details: { weights },
    });
    return this.weights(patientId);
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
    const weight = record.birthWeightGrams;
    if (weight !== undefined && (!Number.isInteger(weight) || weight < 200 || weight > 6000))
      throw new PatientError('PATIENT_INVALID', 'birth weight is 200–6000 g');
    if (record.bpdGrade !== undefined && !BPD_GRADES.includes(record.bpdGrade))
      throw new PatientError(
        'PATIENT_INVALID',
        `BPD grade "${record.bpdGrade}" is not one of ${BPD_GRADES.join('; ')}`,
      );
    const birthDate = birth.toISOString().slice(0, 10);
    const before = this.get(record.patientId);
    this.db.transaction(() =>
      this.db.run(
        'INSERT INTO patients (patient_id, birth_date, ga_weeks, ga_days, birth_weight_g, unstable_course, hydrocephalus, bpd_grade, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (patient_id) DO UPDATE SET birth_date = excluded.birth_date, ga_weeks = excluded.ga_weeks, ga_days = excluded.ga_days, birth_weight_g = excluded.birth_weight_g, unstable_course = excluded.unstable_course, hydrocephalus = excluded.hydrocephalus, bpd_grade = excluded.bpd_grade, updated_by = excluded.updated_by, updated_at = excluded.updated_at',
        [
          record.patientId,
          birthDate,
          record.gaWeeks,
          record.gaDays,
          // An update that does not mention a field keeps what was recorded.
          weight ?? before?.birthWeightGrams ?? null,
          (record.unstableCourse ?? before?.unstableCourse) ? 1 : 0,
          (record.hydrocephalus ?? before?.hydrocephalus) ? 1 : 0,
          record.bpdGrade ?? before?.bpdGrade ?? null,
          who,
          this.now().toISOString(),
        ],
      ),
    );
    const after = this.get(record.patientId)!;
    await this.audit.append({
      actor: who,
      action: 'edit',
      subject: `patient:${record.patientId}`,
      details: { from: before ?? null, to: after },
    });
    return after;
  }
}
