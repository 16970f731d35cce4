/**
 * Reading and signing one exam's report. A draft holds, per field of the domain's form,
 * the AI value (recorded by the service from a verified model, with its id, version and
 * SHA-256) and the reader's value; every change is recorded with who, when, from and to.
 * Signing re-checks the reader's password, unseals the reader's signing key with it, freezes
 * the report (SignedReportStore: content with the patient and study as shown now, signed
 * with that key) and closes the draft: a signed report cannot be edited, only amended as a
 * new version.
 */
import { CodedError } from '../base/errors.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { InstanceSummary } from '../base/schemas.ts';
import { freezeStudy } from '../reports/frozen-study.ts';
import type { ReportContent, SignedReport, SignedReportStore } from '../reports/signed-reports.ts';
import type { Database } from '../store/database.ts';
import { AuthError, maySign, type Accounts, type User } from '../users/accounts.ts';
import { eyeField, fieldsFor, valueProblem } from '../reports/grading-fields.ts';
import type { Eye } from '../vocabulary/visit.ts';
import type { Assessment } from '../screening/assessment-schemas.ts';
import type { PatientRecord } from '../patients/trajectory.ts';
import { clinicalFacts, type ClinicalFacts } from '../reports/clinical-facts.ts';
import { assessVisit } from './rop-assessment.ts';
import { AnnotationStore } from '../annotations/annotation-store.ts';
import type { FrameSpacing } from '../measurements/geometry/units.ts';
import type { ReadDomain } from '../vocabulary/domains.ts';

export type ReviewErrorCode = 'REVIEW_NOT_FOUND' | 'REVIEW_INVALID_VALUE' | 'REVIEW_SIGNED';
export class ReviewError extends CodedError<ReviewErrorCode> {}

export interface Draft {
  content: ReportContent;
  /** 'open' while editable; 'signed' after sign-off until an amendment is started. */
  status: 'open' | 'signed';
  /** The signed version this draft amends, if it is an amendment. */
  amends?: number;
  signedVersions: number[];
}

export interface FieldChange {
  field: string;
  from: string | null;
  to: string | null;
  who: string;
  at: string;
}

type StoredDraft = Omit<Draft, 'signedVersions'>;

export interface ReviewOptions {
  /** The measurements saved with images (the workstation's one store; else one of its own). */
  annotations?: AnnotationStore;
  /**
   * An image's pixel spacing: measurements saved before their numbers were stored are measured
   * with it at signing, so what is signed is numbers (without it they stay in pixels).
   */
  spacingOf?: (instanceId: string) => Promise<FrameSpacing | undefined>;
  /** Told when a report is signed or an amendment opens: the exam moves in the worklist. */
  onChanged?: (reportId: string, change: 'signed' | 'amending') => void;
}

export class ReviewService {
  private readonly annotations: AnnotationStore;

  constructor(
    private readonly db: Database,
    private readonly audit: AuditLog,
    private readonly reports: SignedReportStore,
    private readonly accounts: Accounts,
    private readonly now: () => Date = () => new Date(),
    /** The patient record (birth date, GA…), for the clinical facts and the ROP assessment. */
    private readonly patientRecord: (patientId: string) => PatientRecord | undefined = () =>
      undefined,
    private readonly options: ReviewOptions = {},
  ) {
    this.annotations = options.annotations ?? new AnnotationStore(db, audit);
  }

  /** The visit date of a report's images (the first image's study date). */
  private studyDateOf(content: ReportContent): string {
    const row = this.db.get('SELECT summary_json FROM instances WHERE id = ?', [
      content.instanceIds[0] ?? '',
    ]);
    return row ? (JSON.parse(String(row.summary_json)) as InstanceSummary).studyDate : '';
  }

  /** The infant's facts at this visit, from the patient record now. */
  facts(content: ReportContent): ClinicalFacts {
    return clinicalFacts(this.patientRecord(content.patientId), this.studyDateOf(content));
  }

  /** ROP reports: what the rules conclude from the entries now (undefined for chest). */
  assessment(content: ReportContent): Assessment | undefined {
    if (content.domain !== 'retina') return undefined;
    const facts = this.facts(content);
    return assessVisit(content.fields, {
      ...(facts.examDate ? { examDate: facts.examDate } : {}),
      ...(facts.pmaDays !== undefined ? { pmaDays: facts.pmaDays } : {}),
    });
  }

  private load(reportId: string): StoredDraft | undefined {
    const row = this.db.get('SELECT content_json FROM report_drafts WHERE report_id = ?', [
      reportId,
    ]);
    return row ? (JSON.parse(String(row.content_json)) as StoredDraft) : undefined;
  }

  private save(draft: StoredDraft, who: string): void {
    this.db.run(
      'INSERT INTO report_drafts (report_id, content_json, updated_by, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (report_id) DO UPDATE SET content_json = excluded.content_json, updated_by = excluded.updated_by, updated_at = excluded.updated_at',
      [draft.content.reportId, JSON.stringify(draft), who, this.now().toISOString()],
    );
  }

  private async withVersions(draft: StoredDraft): Promise<Draft> {
    return { ...draft, signedVersions: await this.reports.versions(draft.content.reportId) };
  }

  /** A report's current draft, without recording a view. */
  async get(reportId: string): Promise<Draft> {
    const draft = this.load(reportId);
    if (!draft) throw new ReviewError('REVIEW_NOT_FOUND', `no report ${reportId} is open`);
    return this.withVersions(draft);
  }

  /** The exam's draft, created with the domain's empty form the first time. */
  async open(
    user: User,
    exam: {
      reportId: string;
      patientId: string;
      studyInstanceUid: string;
      instanceIds: string[];
      domain: ReadDomain;
    },
  ): Promise<Draft> {
    let draft = this.load(exam.reportId);
    // An image of the visit that arrived after the draft was made joins it (while it is open).
    const joining = draft
      ? exam.instanceIds.filter((id) => !draft!.content.instanceIds.includes(id))
      : [];
    if (draft && draft.status === 'open' && joining.length) {
      draft.content.instanceIds = [...draft.content.instanceIds, ...joining];
      this.db.transaction(() => this.save(draft!, user.username));
    }
    if (!draft) {
      draft = {
        content: {
          ...exam,
          fields: fieldsFor(exam.domain).map((f) => ({ field: f.name, reader: null })),
          freeText: '',
        },
        status: 'open',
      };
      this.db.transaction(() => this.save(draft!, user.username));
    }
    await this.audit.append({
      actor: user.username,
      action: 'view',
      subject: exam.reportId,
      details: { instances: exam.instanceIds.length },
    });
    return this.withVersions(draft);
  }

  private editable(reportId: string): StoredDraft {
    const draft = this.load(reportId);
    if (!draft) throw new ReviewError('REVIEW_NOT_FOUND', `no report ${reportId} is open`);
    if (draft.status === 'signed')
      throw new ReviewError(
        'REVIEW_SIGNED',
        `report ${reportId} is signed and cannot be edited; start an amendment`,
      );
    return draft;
  }

  private record(reportId: string, field: string, from: unknown, to: unknown, who: string): void {
    const text = (v: unknown) =>
      v === null || v === undefined ? null : typeof v === 'string' ? v : JSON.stringify(v);
    this.db.run(
      'INSERT INTO field_changes (report_id, field, from_value, to_value, who, at) VALUES (?, ?, ?, ?, ?, ?)',
      [reportId, field, text(from), text(to), who, this.now().toISOString()],
    );
  }

  /** The reader sets (or clears) a field; the change is recorded. */
  async setField(
    user: User,
    reportId: string,
    field: string,
    value: string | number | null,
  ): Promise<Draft> {
    const draft = this.editable(reportId);
    if (!maySign(user.role, draft.content.domain))
      throw new AuthError(
        'AUTH_FORBIDDEN',
        `a ${user.role} does not grade ${draft.content.domain} reports`,
      );
    const spec = fieldsFor(draft.content.domain).find((f) => f.name === field);
    if (field !== 'free_text' && !spec)
      throw new ReviewError(
        'REVIEW_INVALID_VALUE',
        `the ${draft.content.domain} form has no field ${field}`,
      );
    if (spec) {
      const problem = valueProblem(spec, value);
      if (problem) throw new ReviewError('REVIEW_INVALID_VALUE', problem);
    }
    const from =
      field === 'free_text'
        ? draft.content.freeText
        : draft.content.fields.find((f) => f.field === field)!.reader;
    if (from === value) return this.withVersions(draft);
    if (field === 'free_text') draft.content.freeText = String(value ?? '');
    else draft.content.fields.find((f) => f.field === field)!.reader = value;
    this.db.transaction(() => {
      this.save(draft, user.username);
      this.record(reportId, field, from, value, user.username);
    });
    await this.audit.append({
      actor: user.username,
      action: 'edit',
      subject: reportId,
      details: { field, from, to: value },
    });
    return this.withVersions(draft);
  }

  /**
   * "Same as other eye": the reader's entries of one eye's section copied to the other eye
   * (empty entries too, so the two sections end up alike); each changed field is recorded.
   */
  async copyEye(user: User, reportId: string, from: Eye): Promise<Draft> {
    const draft = this.editable(reportId);
    if (draft.content.domain !== 'retina')
      throw new ReviewError('REVIEW_INVALID_VALUE', 'only ROP reports have eye sections');
    if (!maySign(user.role, draft.content.domain))
      throw new AuthError('AUTH_FORBIDDEN', `a ${user.role} does not grade retina reports`);
    const to: Eye = from === 'OD' ? 'OS' : 'OD';
    const changes: { field: string; from: string | number | null; to: string | number | null }[] =
      [];
    for (const spec of fieldsFor('retina').filter((f) => f.eye === to)) {
      const key = spec.name.slice(3);
      const source = draft.content.fields.find((f) => f.field === eyeField(from, key));
      const target = draft.content.fields.find((f) => f.field === spec.name);
      if (!source || !target || source.reader === target.reader) continue;
      changes.push({ field: spec.name, from: target.reader, to: source.reader });
      target.reader = source.reader;
    }
    if (!changes.length) return this.withVersions(draft);
    this.db.transaction(() => {
      this.save(draft, user.username);
      for (const c of changes) this.record(reportId, c.field, c.from, c.to, user.username);
    });
    await this.audit.append({
      actor: user.username,
      action: 'edit',
      subject: reportId,
      details: { copiedEye: { from, to }, fields: changes.map((c) => c.field) },
    });
    return this.withVersions(draft);
  }

  /** The service records an AI value for a field (from a verified model it ran). */
  async setAi(
    reportId: string,
    field: string,
    ai: NonNullable<ReportContent['fields'][number]['ai']>,
    actor = 'system',
  ): Promise<Draft> {
    const draft = this.editable(reportId);
    const entry = draft.content.fields.find((f) => f.field === field);
    if (!entry)
      throw new ReviewError(
        'REVIEW_INVALID_VALUE',
        `the ${draft.content.domain} form has no field ${field}`,
      );
    const from = entry.ai ?? null;
    entry.ai = ai;
    this.db.transaction(() => {
      this.save(draft, actor);
      this.record(reportId, `${field} (AI)`, from && from.value, ai.value, actor);
    });
    await this.audit.append({
      actor,
      action: 'analysis',
      subject: reportId,
      details: { field, value: ai.value, model: ai.model },
    });
    return this.withVersions(draft);
  }

  /** Records the overlay image made from a model's result on one instance (replacing an earlier one). */
  setOverlay(
    reportId: string,
    overlay: NonNullable<ReportContent['overlays']>[number],
    actor = 'system',
  ): void {
    const draft = this.editable(reportId);
    draft.content.overlays = [
      ...(draft.content.overlays ?? []).filter(
        (o) => !(o.instanceId === overlay.instanceId && o.model.id === overlay.model.id),
      ),
      overlay,
    ];
    this.db.transaction(() => this.save(draft, actor));
  }

  /** Sign-off: the reader's password again, then the frozen report. */
  async sign(
    user: User,
    reportId: string,
    password: string,
    amendmentReason?: string,
  ): Promise<SignedReport> {
    const draft = this.editable(reportId);
    if (!maySign(user.role, draft.content.domain))
      throw new AuthError(
        'AUTH_FORBIDDEN',
        `a ${user.role} does not sign ${draft.content.domain} reports`,
      );
    await this.accounts.authenticate(user.username, password, 'sign-off');
    const { spacingOf } = this.options;
    if (spacingOf)
      for (const id of draft.content.instanceIds)
        await this.annotations.measureOlderRows(id, () => spacingOf(id));
    const key = await this.accounts.signingKey(user.username, password);
    const signer = `${user.displayName} (${user.username}, ${user.role})`;
    const content = this.withClinical(this.withStudy(this.withMeasurements(draft.content)));
    const signed = draft.amends
      ? await this.reports.amend(content, signer, amendmentReason ?? '', key)
      : await this.reports.sign(content, signer, key);
    this.db.transaction(() =>
      this.save({ ...draft, content, status: 'signed', amends: undefined }, user.username),
    );
    this.options.onChanged?.(reportId, 'signed');
    return signed;
  }

  /**
   * The measurements saved with the exam's images at the moment of signing become part of
   * what is signed (none: the content is left as it was, so earlier reports hash the same).
   */
  private withMeasurements(content: ReportContent): ReportContent {
    const { measurements: _previous, ...rest } = content;
    const saved = content.instanceIds.flatMap((id) => this.annotations.list(id));
    if (!saved.length) return rest;
    return {
      ...rest,
      measurements: saved.map((a) => ({
        instanceId: a.instanceId,
        kind: a.kind,
        values: a.values,
        label: a.label,
        by: a.createdBy,
        at: a.createdAt,
      })),
    };
  }

  /**
   * The patient and study as the library shows them at signing become part of what is
   * signed, so exports never print a name or date that was changed in the database later.
   * (Images not in the library: the content is left as it was.)
   */
  private withStudy(content: ReportContent): ReportContent {
    const summaries: InstanceSummary[] = [];
    for (const id of content.instanceIds) {
      const row = this.db.get('SELECT summary_json FROM instances WHERE id = ?', [id]);
      if (!row) return content;
      summaries.push(JSON.parse(String(row.summary_json)) as InstanceSummary);
    }
    return summaries.length ? { ...content, study: freezeStudy(summaries) } : content;
  }

  /** The infant's facts and (ROP) the rules' conclusions at signing become part of what is signed. */
  private withClinical(content: ReportContent): ReportContent {
    const { clinical: _c, assessment: _a, ...rest } = content;
    const facts = this.facts(rest);
    const assessment = this.assessment(rest);
    return {
      ...rest,
      ...(Object.keys(facts).length ? { clinical: facts } : {}),
      ...(assessment ? { assessment } : {}),
    };
  }

  /** Opens a signed report for amendment: a new draft from the latest version. */
  async startAmendment(user: User, reportId: string): Promise<Draft> {
    const draft = this.load(reportId);
    if (!draft || draft.status !== 'signed')
      throw new ReviewError(
        'REVIEW_NOT_FOUND',
        `report ${reportId} has no signed version to amend`,
      );
    if (!maySign(user.role, draft.content.domain))
      throw new AuthError(
        'AUTH_FORBIDDEN',
        `a ${user.role} does not amend ${draft.content.domain} reports`,
      );
    const versions = await this.reports.versions(reportId);
    const latest = await this.reports.read(reportId, versions[versions.length - 1]!);
    const next: StoredDraft = { content: latest.content, status: 'open', amends: latest.version };
    this.db.transaction(() => this.save(next, user.username));
    await this.audit.append({
      actor: user.username,
      action: 'edit',
      subject: reportId,
      details: { amendmentOf: latest.version },
    });
    this.options.onChanged?.(reportId, 'amending');
    return this.withVersions(next);
  }

  history(reportId: string): FieldChange[] {
    return this.db
      .all(
        'SELECT field, from_value, to_value, who, at FROM field_changes WHERE report_id = ? ORDER BY id',
        [reportId],
      )
      .map((r) => ({
        field: String(r.field),
        from: r.from_value === null ? null : String(r.from_value),
        to: r.to_value === null ? null : String(r.to_value),
        who: String(r.who),
        at: String(r.at),
      }));
  }
}
