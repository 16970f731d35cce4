/**
 * Handlers for reading and sign-off (core/api/contract-review.ts): a visit's report opened,
 * analysed by the models, edited, signed, amended, and its signed versions exported. Each is
 * the arguments handed to a service and its answer shaped for the contract.
 */
import type { ApiHandlers } from '../api/dispatch.ts';
import { ApiError } from '../base/errors.ts';
import { analyzeImage } from '../inference/analyze-image.ts';
import { deriveMeasurement } from '../measurements/derive-measurements.ts';
import { fieldsFor } from '../reports/grading-fields.ts';
import { reportIdFor } from '../review/report-id.ts';
import type { Draft } from '../review/review-service.ts';
import { AuthError, mayRead } from '../users/accounts.ts';
import { isReadDomain } from '../vocabulary/domains.ts';
import { sameVisit } from '../vocabulary/visit.ts';
import { analyseReport } from './review-analysis.ts';
import type { Services } from './services.ts';

type ReviewOps =
  | 'measure.ctr'
  | 'review.open'
  | 'review.analyze'
  | 'review.setField'
  | 'review.copyEye'
  | 'review.sign'
  | 'review.amend'
  | 'review.history'
  | 'report.pdf'
  | 'report.dicom';

export function createReviewHandlers(services: Services): Pick<ApiHandlers, ReviewOps> {
  const session = services.get('session');
  const library = services.get('library');
  const reviews = () => services.get('reviews');
  /** The models that analyse exams: the active version of each, on the inference worker. */
  const analysisModels = async () =>
    services.get('inference').onWorker(await services.get('models').active());

  /** A draft as the page shows it: with the rules' assessment, its form and the models' notes. */
  const view = (draft: Draft) => {
    const runs = services.get('analyses').ofReport(draft.content.reportId);
    const assessment = reviews().assessment(draft.content);
    return {
      ...draft,
      ...(assessment ? { assessment } : {}),
      form: fieldsFor(draft.content.domain),
      aiNotes: [...new Set(runs.flatMap((r) => r.notes))],
      analysedWith: runs.map((r) => r.model),
    };
  };

  return {
    // Like viewing and the page's own analyses, a measurement needs no report; recording it does.
    'measure.ctr': async ({ instanceId }) => {
      const model = (await analysisModels()).flatMap((e) =>
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
      const { id, version, sha256 } = model.manifest;
      return {
        points: [m.thoracic[0], m.thoracic[1], m.cardiac[0], m.cardiac[1]],
        ratio: m.ratio,
        model: { id, version, sha256 },
      };
    },
    'review.open': async ({ instanceIds }) => {
      const review = reviews();
      const user = session.require();
      const instances = instanceIds.map((id) => library.get(id));
      const first = instances[0]!;
      if (instances.some((i) => !sameVisit(i, first)))
        throw new ApiError({
          code: 'API_INVALID_ARGUMENTS',
          message: 'one report covers one visit: images of one infant, one date and one domain',
        });
      const domain = first.domain;
      if (!isReadDomain(domain))
        throw new ApiError({
          code: 'API_INVALID_ARGUMENTS',
          message: `no report form for ${domain} images`,
        });
      if (!mayRead(user.role, domain))
        throw new AuthError('AUTH_FORBIDDEN', `a ${user.role} does not read ${domain} exams`);
      return view(
        await review.open(user, {
          reportId: reportIdFor(first),
          patientId: first.patientId,
          studyInstanceUid: first.studyInstanceUid,
          instanceIds,
          domain,
        }),
      );
    },
    'review.analyze': async ({ reportId }) => {
      const review = reviews();
      const user = session.require();
      const { content } = await review.get(reportId);
      const events = services.get('events');
      const run = await analyseReport({
        library,
        annotations: services.get('annotations'),
        storeObject: (bytes) => services.get('data').objects.put(bytes),
        review,
        models: (await analysisModels()).flatMap((e) =>
          e.ok && e.model.manifest.domain === content.domain ? [e.model] : [],
        ),
        reportId,
        images: content.instanceIds.map((id) => library.get(id)),
        domain: content.domain,
        patient: services.get('patients').get(content.patientId),
        actor: user.username,
        onProgress: (done, total) => events.emit('analysis.progress', { reportId, done, total }),
        measure: services.get('inference').measure,
      });
      services.get('analyses').record(reportId, run.runNotes, run.general);
      return view(run.latest ?? (await review.get(reportId)));
    },
    'review.copyEye': async ({ reportId, from }) =>
      view(await reviews().copyEye(session.require(), reportId, from)),
    'review.setField': async ({ reportId, field, value }) =>
      view(await reviews().setField(session.require(), reportId, field, value)),
    'review.sign': async ({ reportId, password, reason }) => {
      const signed = await reviews().sign(session.require(), reportId, password, reason);
      const { version, contentHash, signer, signedAt } = signed;
      return { reportId, version, contentHash, signer, signedAt };
    },
    'review.amend': async ({ reportId }) =>
      view(await reviews().startAmendment(session.require(), reportId)),
    'review.history': async ({ reportId }) => ({ changes: reviews().history(reportId) }),
    'report.pdf': async ({ reportId, version }) =>
      services.get('reportExporter').pdf(reportId, version, session.require().username),
    'report.dicom': async ({ reportId, version }) =>
      services.get('reportExporter').dicom(reportId, version, session.require().username),
  };
}
