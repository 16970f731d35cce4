/**
 * A candidate model version beside the active one, on this site's own signed cases: both run
 * on the images of the signed reports whose fields the model fills (the latest signed version
 * of each, newest first, up to a cap), exactly as "Run AI measurements" would run them (same
 * images, same intended-use gate, same fields), and each version's values are compared with
 * what the readers signed (core/validation/agreement-report.ts). Nothing is stored: the admin
 * reads both agreements and chooses.
 */
import type { LoadedModel } from '../inference/load-package.ts';
import type { AnnotationStore } from '../annotations/annotation-store.ts';
import type { Library } from '../library/library.ts';
import type { PatientRecords } from '../patients/patient-records.ts';
import type { SignedReport } from '../reports/signed-reports.ts';
import { fieldsFor, type FieldSpec } from '../reports/grading-fields.ts';
import type { DataFolder } from '../store/data-folder.ts';
import type { AgreementCase } from '../validation/agreement-cases.ts';
import { agreementReport, type AgreementReport } from '../validation/agreement-report.ts';
import { caseOf, CONTINUOUS_TOLERANCES, readerReferences } from '../validation/signed-cases.ts';
import { latestSignedReports } from '../validation/site-validation.ts';
import { imageFactsOf, imagesToAnalyse, intendedUseGate, predictImage } from './review-analysis.ts';

export const DEFAULT_COMPARISON_CASES = 50;

/** The form fields a package fills: its slot's heads and its measurements' values. */
export function fieldsFilledBy(model: LoadedModel): FieldSpec[] {
  const m = model.manifest;
  return fieldsFor(m.domain).filter((spec) => {
    const source = spec.aiSource;
    if (!source) return false;
    if ('slot' in source) return source.slot === m.slot;
    return (m.measurements ?? []).includes(source.measurement);
  });
}

export interface VersionAgreement {
  version: string;
  sha256: string;
  report: AgreementReport;
  notes: string[];
}

export interface Comparison {
  id: string;
  reports: string[];
  capped: boolean;
  limit: number;
  active: VersionAgreement | null;
  candidate: VersionAgreement;
}

/** The signed reports a model can be judged on: a reader value in a field it fills. */
function judgeable(reports: SignedReport[], model: LoadedModel): SignedReport[] {
  const names = new Set(fieldsFilledBy(model).map((f) => f.name));
  return reports
    .filter(
      (r) =>
        r.content.domain === model.manifest.domain &&
        r.content.fields.some((f) => names.has(f.field) && f.reader !== null),
    )
    .sort((a, b) => (a.signedAt < b.signedAt ? 1 : a.signedAt > b.signedAt ? -1 : 0));
}

export async function compareOnSignedCases(deps: {
  data: DataFolder;
  library: Library;
  patients: PatientRecords;
  annotations: AnnotationStore;
  candidate: LoadedModel;
  active?: LoadedModel;
  limit?: number;
}): Promise<Comparison> {
  const { data, library, candidate } = deps;
  const limit = deps.limit ?? DEFAULT_COMPARISON_CASES;
  const models = deps.active ? [deps.active, candidate] : [candidate];
  const qualifying = judgeable((await latestSignedReports(data)).reports, candidate);
  const used = qualifying.slice(0, limit);
  const cases = new Map<LoadedModel, AgreementCase[]>(models.map((m) => [m, []]));
  const notes = new Map<LoadedModel, string[]>(models.map((m) => [m, []]));
  for (const report of used) {
    const { content } = report;
    const images = content.instanceIds.flatMap((id) => library.find(id) ?? []);
    if (images.length < content.instanceIds.length)
      for (const m of models)
        notes.get(m)!.push(`${content.reportId}: an image is no longer in the library`);
    // The reader's values, as signed: the reference each version is held to.
    const signed = new Map(readerReferences(report).map((r) => [r.field, r]));
    const patient = deps.patients.get(content.patientId);
    for (const { image, eye } of imagesToAnalyse(content.domain, images)) {
      const facts = await imageFactsOf(library, image);
      const frame = await library.frame(image.instanceId, 0);
      for (const model of models) {
        const gate = intendedUseGate(model.manifest, facts, patient);
        const where = `${content.reportId}${eye ? ` ${eye}` : ''}`;
        if (!gate.run) {
          notes.get(model)!.push(`${where}: ${gate.note}`);
          continue;
        }
        const prediction = await predictImage({
          annotations: deps.annotations,
          frame,
          model,
          image,
          eye,
          domain: content.domain,
          overlays: false,
        });
        prediction.notes.forEach((n) => notes.get(model)!.push(`${where}: ${n}`));
        for (const value of prediction.values) {
          const reference = signed.get(value.field);
          if (reference)
            cases.get(model)!.push(caseOf(reference, { ...value, model: model.manifest }));
        }
      }
    }
  }
  const agreementOf = (model: LoadedModel): VersionAgreement => ({
    version: model.manifest.version,
    sha256: model.manifest.sha256,
    report: agreementReport(cases.get(model)!, { tolerances: CONTINUOUS_TOLERANCES }),
    notes: notes.get(model)!,
  });
  return {
    id: candidate.manifest.id,
    reports: used.map((r) => `${r.content.reportId}@${r.version}`),
    capped: qualifying.length > used.length,
    limit,
    active: deps.active ? agreementOf(deps.active) : null,
    candidate: agreementOf(candidate),
  };
}
