/**
 * Handlers for accounts, reading and sign-off (core/api/contract-review.ts). They need the
 * persistent data folder; an in-memory workstation answers STORE_REQUIRED.
 */
import sharp from 'sharp';
import type { ApiHandlers } from '../api/dispatch.ts';
import { ApiError, CodedError } from '../api/errors.ts';
import { displayBytes } from '../imaging/frame-display.ts';
import { analyzeImage } from '../inference/analyze-image.ts';
import type { RegistryEntry } from '../inference/registry.ts';
import type { Library } from '../library/library.ts';
import { deriveMeasurement } from '../measurements/derive-measurements.ts';
import { AnnotationStore, imageSpacing } from '../annotations/annotation-store.ts';
import { buildPdfReport, type ModelSummary, type ReportImage } from '../reports/pdf-report.ts';
import type { SignedReport } from '../reports/signed-reports.ts';
import { studyContextOf } from '../reports/frozen-study.ts';
import { buildStructuredReport } from '../reports/structured-report.ts';
import { buildSecondaryCapture } from '../reports/secondary-capture.ts';
import { fieldsFor } from '../review/grading-fields.ts';
import { ReviewService, type Draft } from '../review/review-service.ts';
import { reportIdFor } from '../review/report-id.ts';
import { sameVisit } from '../vocabulary/visit.ts';
import { analyseReport } from './review-analysis.ts';
import { latestSignedVisit } from '../review/latest-signed-visit.ts';
import { screeningStatus, todayOf } from '../review/screening-status.ts';
import type { DataFolder } from '../store/data-folder.ts';
import { Accounts, AuthError, mayRead } from '../users/accounts.ts';
import { PatientRecords } from '../patients/patient-records.ts';
import { trajectory } from '../patients/trajectory.ts';
import type { Session } from '../users/session.ts';

type ReviewOps =
  | 'measure.ctr'
  | 'patients.set'
  | 'patients.trajectory'
  | 'auth.status'
  | 'auth.login'
  | 'auth.logout'
  | 'users.create'
  | 'review.open'
  | 'review.analyze'
  | 'review.setField'
  | 'review.copyEye'
  | 'patients.addWeights'
  | 'review.sign'
  | 'review.amend'
  | 'review.history'
  | 'report.pdf'
  | 'report.dicom';

class StoreRequired extends CodedError<'STORE_REQUIRED'> {}

export function createReviewHandlers(deps: {
  data?: DataFolder;
  library: Library;
  models: () => Promise<RegistryEntry[]>;
  /** The models that analyse exams: the active version of each (a candidate only when compared). */
  analysisModels?: () => Promise<RegistryEntry[]>;
  session: Session;
}): Pick<ApiHandlers, ReviewOps> {
  const { data, library, session } = deps;
  const accounts = data ? new Accounts(data.db, data.audit) : undefined;
  const patients = data ? new PatientRecords(data.db, data.audit) : undefined;
  const review =
    data && accounts
      ? new ReviewService(
          data.db,
          data.audit,
          data.reports,
          accounts,
          () => new Date(),
          (id) => patients!.get(id),
        )
      : undefined;

  const need = () => {
    if (!data || !accounts || !review)
      throw new StoreRequired(
        'STORE_REQUIRED',
        'this workstation runs without a data folder (preview); accounts and reports need one',
      );
    return { data, accounts, review };
  };
  const instancesOf = (ids: string[]) => {
    const all = new Map(library.list().map((i) => [i.instanceId, i]));
    return ids.map((id) => {
      const found = all.get(id);
      if (!found)
        throw new ApiError({
          code: 'NOT_FOUND',
          message: `No image with id ${id.slice(0, 12)}… is in the library.`,
        });
      return found;
    });
  };
  /** What the models that ran on this exam said, kept in the store with the draft. */
  const analyses = (reportId: string) =>
    data?.db.all('SELECT model, notes_json FROM analyses WHERE report_id = ? ORDER BY model', [
      reportId,
    ]) ?? [];
  const view = (draft: Draft) => {
    const runs = analyses(draft.content.reportId);
    const assessment = review?.assessment(draft.content);
    return {
      ...draft,
      ...(assessment ? { assessment } : {}),
      form: fieldsFor(draft.content.domain),
      aiNotes: [...new Set(runs.flatMap((r) => JSON.parse(String(r.notes_json)) as string[]))],
      analysedWith: runs.map((r) => String(r.model)),
    };
  };
  const signedModels = async (report: SignedReport): Promise<ModelSummary[]> => {
    const entries = await deps.models();
    return report.models.map((m) => {
      const entry = entries.find(
        (e) => e.ok && e.model.manifest.id === m.id && e.model.manifest.version === m.version,
      );
      const manifest = entry?.ok ? entry.model.manifest : undefined;
      return {
        ...m,
        name: manifest?.name ?? m.id,
        investigational: manifest?.investigational ?? true,
        intendedUse: manifest?.intendedUse ?? 'package no longer installed',
      };
    });
  };

  return {
    // Like viewing and the page's own analyses, a measurement needs no sign-in; recording it in a report does.
    'measure.ctr': async ({ instanceId }) => {
      const model = (await (deps.analysisModels ?? deps.models)()).flatMap((e) =>
        e.ok &&
        e.model.manifest.domain === 'chest' &&
        e.model.manifest.measurements?.includes('cardiothoracic-ratio')
          ? [e.model]
          : [],
      )[0];
      if (!model)
        throw new ApiError({
          code: 'NOT_FOUND',
          message:
            'No installed chest model measures the cardiothoracic ratio; draw it with the CTR tool.',
        });
      const frame = await library.frame(instanceId, 0);
      const analysis = await analyzeImage(frame, model, 'none');
      const derived = deriveMeasurement('cardiothoracic-ratio', frame, analysis.probabilityMap!);
      if (derived.kind !== 'cardiothoracic-ratio') throw new Error('unexpected measurement');
      const m = derived.measurement;
      return {
        points: [m.thoracic[0], m.thoracic[1], m.cardiac[0], m.cardiac[1]],
        ratio: m.ratio,
        model: {
          id: model.manifest.id,
          version: model.manifest.version,
          sha256: model.manifest.sha256,
        },
      };
    },
    'patients.set': async (record) => {
      need();
      return patients!.set(record, session.require().username);
    },
    'patients.trajectory': async ({ patientId }) => {
      const { data } = need();
      session.require();
      const patient = patients!.get(patientId);
      const summaries = new Map(library.list().map((i) => [i.instanceId, i]));
      const reports = (await data.reports.latestOfPatient(patientId)).map((report) => ({
        report,
        examDate: summaries.get(report.content.instanceIds[0] ?? '')?.studyDate ?? '',
      }));
      const points = trajectory(patientId, patient, reports);
      const weights = patients!.weights(patientId);
      const screening = screeningStatus(
        patient,
        weights,
        latestSignedVisit(reports.map((r) => r.report)),
        todayOf(new Date()),
      );
      return {
        ...(patient ? { patient } : {}),
        weights,
        ...(screening ? { screening } : {}),
        points: points.map((p) => ({ ...p, pmaDays: Number.isNaN(p.pmaDays) ? null : p.pmaDays })),
      };
    },
    'patients.addWeights': async ({ patientId, weights }) => {
      need();
      return {
        weights: await patients!.addWeights(patientId, weights, session.require().username),
      };
    },
    'auth.status': async () => {
      const user = session.peek();
      return {
        accounts: accounts?.count() ?? 0,
        ...(user ? { user } : {}),
        idleLockMinutes: session.idleLockMinutes,
      };
    },
    'auth.login': async ({ username, password }) => {
      const user = await need().accounts.authenticate(username, password, 'login');
      session.signIn(user);
      return user;
    },
    'auth.logout': async () => {
      session.signOut();
      return {};
    },
    'users.create': async (args) => {
      const { accounts } = need();
      if (accounts.count() === 0) {
        if (args.role !== 'admin')
          throw new AuthError(
            'AUTH_FORBIDDEN',
            'the first account must be an admin, who then creates the readers',
          );
        return accounts.create(args, 'first-run');
      }
      const user = session.require();
      if (user.role !== 'admin')
        throw new AuthError('AUTH_FORBIDDEN', 'only an admin creates accounts');
      return accounts.create(args, user.username);
    },
    'review.open': async ({ instanceIds }) => {
      const { review } = need();
      const user = session.require();
      const instances = instancesOf(instanceIds);
      const first = instances[0]!;
      if (instances.some((i) => !sameVisit(i, first)))
        throw new ApiError({
          code: 'API_INVALID_ARGUMENTS',
          message: 'one report covers one visit: images of one infant, one date and one domain',
        });
      if (first.domain !== 'retina' && first.domain !== 'chest')
        throw new ApiError({
          code: 'API_INVALID_ARGUMENTS',
          message: `no report form for ${first.domain} images`,
        });
      if (!mayRead(user.role, first.domain))
        throw new AuthError('AUTH_FORBIDDEN', `a ${user.role} does not read ${first.domain} exams`);
      return view(
        await review.open(user, {
          reportId: reportIdFor(first),
          patientId: first.patientId,
          studyInstanceUid: first.studyInstanceUid,
          instanceIds,
          domain: first.domain,
        }),
      );
    },
    'review.analyze': async ({ reportId }) => {
      const { review, data } = need();
      const user = session.require();
      const { content } = await review.get(reportId);
      const models = (await (deps.analysisModels ?? deps.models)()).flatMap((e) =>
        e.ok && e.model.manifest.domain === content.domain ? [e.model] : [],
      );
      const run = await analyseReport({
        data,
        library,
        review,
        models,
        reportId,
        images: instancesOf(content.instanceIds),
        domain: content.domain,
        patient: patients!.get(content.patientId),
        actor: user.username,
      });
      const now = new Date().toISOString();
      data.db.transaction(() => {
        for (const [model, list] of run.runNotes)
          data.db.run(
            'INSERT OR REPLACE INTO analyses (report_id, model, at, notes_json) VALUES (?, ?, ?, ?)',
            [reportId, model, now, JSON.stringify([...list, ...run.general])],
          );
      });
      return view(run.latest ?? (await review.get(reportId)));
    },
    'review.copyEye': async ({ reportId, from }) =>
      view(await need().review.copyEye(session.require(), reportId, from)),
    'review.setField': async ({ reportId, field, value }) =>
      view(await need().review.setField(session.require(), reportId, field, value)),
    'review.sign': async ({ reportId, password, reason }) => {
      const user = session.require();
      const { data, review } = need();
      // Measurements saved before their numbers were stored are measured now, so signing freezes numbers.
      const annotations = new AnnotationStore(data.db, data.audit);
      for (const id of (await review.get(reportId)).content.instanceIds)
        await annotations.measureOlderRows(id, () => imageSpacing(library, id));
      const signed = await review.sign(user, reportId, password, reason);
      return {
        reportId,
        version: signed.version,
        contentHash: signed.contentHash,
        signer: signed.signer,
        signedAt: signed.signedAt,
      };
    },
    'review.amend': async ({ reportId }) =>
      view(await need().review.startAmendment(session.require(), reportId)),
    'review.history': async ({ reportId }) => {
      session.require();
      return { changes: need().review.history(reportId) };
    },
    'report.pdf': async ({ reportId, version }) => {
      const { data } = need();
      const user = session.require();
      // Only the verified frozen report is rendered (hash, signature, sign-off in the audit chain).
      const report = await data.reports.readVerified(reportId, version);
      const frozen = report.content.study?.images ?? [];
      const named = (instanceId: string) => frozen.find((i) => i.instanceId === instanceId);
      instancesOf(report.content.instanceIds); // the images are still in the library
      const images: ReportImage[] = [];
      for (const overlay of report.content.overlays ?? []) {
        const png = await sharp(await data.objects.get(overlay.png))
          .resize({ width: 800, withoutEnlargement: true })
          .png()
          .toBuffer();
        images.push({
          caption: `${named(overlay.instanceId)?.fileName ?? `image ${overlay.instanceId.slice(0, 12)}`}: ${overlay.description}`,
          png: new Uint8Array(png),
        });
      }
      for (const instanceId of report.content.instanceIds.filter(
        (id) => !(report.content.overlays ?? []).some((o) => o.instanceId === id),
      )) {
        const frame = await library.frame(instanceId, 0);
        const { channels, data: pixels } = displayBytes(frame);
        const png = await sharp(Buffer.from(pixels.buffer, pixels.byteOffset, pixels.byteLength), {
          raw: { width: frame.columns, height: frame.rows, channels },
        })
          .resize({ width: 800, withoutEnlargement: true })
          .png()
          .toBuffer();
        const image = named(instanceId);
        images.push({
          caption: image
            ? `${image.fileName} - ${image.modality || 'photo'} ${image.laterality ? `(${image.laterality})` : ''}`
            : `image ${instanceId.slice(0, 12)}`,
          png: new Uint8Array(png),
        });
      }
      const checkpoint = await data.audit.checkpoint();
      const bytes = await buildPdfReport(
        report,
        studyContextOf(report),
        images,
        await signedModels(report),
        { checkpoint },
      );
      await data.audit.appendEmitted(
        {
          actor: user.username,
          action: 'export',
          subject: reportId,
          details: { version, format: 'pdf' },
        },
        checkpoint,
      );
      return { fileName: `${reportId}-v${version}.pdf`, bytes: new Uint8Array(bytes) };
    },
    'report.dicom': async ({ reportId, version }) => {
      const { data } = need();
      const user = session.require();
      const report = await data.reports.readVerified(reportId, version);
      instancesOf(report.content.instanceIds);
      const study = studyContextOf(report);
      const bytes = buildStructuredReport(report, study);
      const captures = [];
      for (const [n, overlay] of (report.content.overlays ?? []).entries()) {
        const source = report.content.study?.images.find(
          (i) => i.instanceId === overlay.instanceId,
        );
        const { data: rgb, info } = await sharp(await data.objects.get(overlay.png))
          .removeAlpha()
          .raw()
          .toBuffer({ resolveWithObject: true });
        const capture = buildSecondaryCapture(
          {
            width: info.width,
            height: info.height,
            rgb: new Uint8Array(rgb),
            description: overlay.description,
            ...(source?.sopInstanceUid
              ? {
                  source: {
                    sopClassUid: source.sopClassUid,
                    sopInstanceUid: source.sopInstanceUid,
                  },
                }
              : {}),
          },
          study,
          { operator: report.signer, instanceNumber: n + 1 },
        );
        captures.push({
          fileName: `${reportId}-v${version}-overlay-${n + 1}.dcm`,
          bytes: new Uint8Array(capture),
        });
      }
      await data.audit.append({
        actor: user.username,
        action: 'export',
        subject: reportId,
        details: { version, format: 'dicom-sr', captures: captures.length },
      });
      return { fileName: `${reportId}-v${version}-sr.dcm`, bytes: new Uint8Array(bytes), captures };
    },
  };
}
