/**
 * The composition root of a workstation process: every service is built here, exactly once,
 * under one name (service-registry.ts). Handlers ask for services by name and do nothing but
 * turn arguments into a service call and its result into the contract's.
 *
 * A workstation without a data folder (a preview) has the library in memory, the models and
 * the session, and none of the services that keep records; asking for one of those answers
 * STORE_REQUIRED, the one place that says so.
 */
import { AnnotationStore, imageSpacing } from '../annotations/annotation-store.ts';
import type { WorkstationEventMap } from '../api/events.ts';
import { Emitter } from '../base/emitter.ts';
import { CodedError } from '../base/errors.ts';
import { createLibrary, type Library } from '../library/library.ts';
import { PatientRecords } from '../patients/patient-records.ts';
import { ReportExporter } from '../reports/report-exporter.ts';
import type { SignedReportStore } from '../reports/signed-reports.ts';
import { AnalysisStore } from '../review/analysis-store.ts';
import { ReviewService } from '../review/review-service.ts';
import type { DataFolder } from '../store/data-folder.ts';
import { Accounts } from '../users/accounts.ts';
import { Session } from '../users/session.ts';
import { createInferenceService, type InferenceService } from './inference-handlers.ts';
import { describeModels, type ModelCatalogue } from './model-catalogue.ts';
import { ServiceRegistry } from './service-registry.ts';
import { libraryFor } from './stored-library.ts';

export class StoreRequired extends CodedError<'STORE_REQUIRED'> {}

/** What `app.info` tells the page about this workstation. */
export interface ProductInfo {
  version: string;
  host: 'electron' | 'browser';
  samplesFolder: string;
  modelsFolder: string;
}

export interface WorkstationServices {
  product: ProductInfo;
  session: Session;
  /** The events the page hears (core/api/events.ts). */
  events: Emitter<WorkstationEventMap>;
  library: Library;
  models: ModelCatalogue;
  /** Models run off the event loop, on the worker's engine (inference-handlers.ts). */
  inference: InferenceService;
  // With a data folder only:
  data: DataFolder;
  signedReports: SignedReportStore;
  accounts: Accounts;
  patients: PatientRecords;
  annotations: AnnotationStore;
  reviews: ReviewService;
  analyses: AnalysisStore;
  reportExporter: ReportExporter;
}

export type Services = ServiceRegistry<WorkstationServices>;

/** The services only a data folder has, each with what a preview cannot do without it. */
const KEPT_IN_THE_DATA_FOLDER: Partial<Record<keyof WorkstationServices, string>> = {
  data: 'this needs',
  signedReports: 'signed reports need',
  accounts: 'accounts need',
  patients: 'patient records need',
  annotations: 'saving measurements needs',
  reviews: 'reports need',
  analyses: 'recording analyses needs',
  reportExporter: 'exporting reports needs',
};

function missing(name: keyof WorkstationServices): Error {
  const what = KEPT_IN_THE_DATA_FOLDER[name];
  return what
    ? new StoreRequired(
        'STORE_REQUIRED',
        `this workstation runs without a data folder (preview); ${what} one`,
      )
    : new Error(`the workstation has no service named "${name}"`);
}

export interface ServiceOptions {
  product: ProductInfo;
  models: ModelCatalogue;
  /** The data folder; absent: a preview that keeps nothing. */
  data?: DataFolder;
  /** A preview's library (tests hand over their own); with a data folder the stored one is built. */
  library?: Library;
  /** The session's clock (tests move it past the idle lock). */
  clock?: () => number;
  /** Starts the inference worker (tests pass their own). */
  startInferenceWorker?: Parameters<typeof createInferenceService>[0]['startWorker'];
  log?: (line: string) => void;
}

export function createServices(options: ServiceOptions): Services {
  const log = options.log ?? (() => {});
  const services = new ServiceRegistry<WorkstationServices>(missing)
    .register('product', () => options.product)
    .register(
      'events',
      () =>
        new Emitter<WorkstationEventMap>((error) =>
          log(`an event listener failed: ${error instanceof Error ? error.stack : String(error)}`),
        ),
    )
    .register('session', (s) => {
      const session = new Session(options.clock);
      session.onChange((state) => s.get('events').emit('session.changed', { state }));
      return session;
    })
    .register('models', () => options.models)
    .register('inference', (s) =>
      createInferenceService({
        library: s.get('library'),
        models: () => s.get('models').list(),
        ...(options.startInferenceWorker ? { startWorker: options.startInferenceWorker } : {}),
        log,
      }),
    )
    .register('library', (s) => {
      const onChanged = (imported: unknown[]) =>
        s.get('events').emit('library.changed', { imported: imported.length });
      if (options.data) return libraryFor(options.data, s.get('patients'), { onChanged });
      return options.library ?? createLibrary({ onChanged });
    });
  const data = options.data;
  if (!data) return services;
  return services
    .register('data', () => data)
    .register('signedReports', () => data.reports)
    .register('accounts', () => new Accounts(data.db, data.audit))
    .register('patients', () => new PatientRecords(data.db, data.audit))
    .register('annotations', () => new AnnotationStore(data.db, data.audit))
    .register('analyses', () => new AnalysisStore(data.db))
    .register(
      'reviews',
      (s) =>
        new ReviewService(
          data.db,
          data.audit,
          data.reports,
          s.get('accounts'),
          () => new Date(),
          (patientId) => s.get('patients').get(patientId),
          {
            annotations: s.get('annotations'),
            spacingOf: (instanceId) => imageSpacing(s.get('library'), instanceId),
            onChanged: (_reportId, change) =>
              s.get('events').emit('worklist.changed', { reason: change }),
          },
        ),
    )
    .register(
      'reportExporter',
      (s) =>
        new ReportExporter({
          reports: data.reports,
          audit: data.audit,
          objectBytes: (sha256) => data.objects.get(sha256),
          frame: (instanceId) => s.get('library').frame(instanceId, 0),
          requireImage: (instanceId) => void s.get('library').get(instanceId),
          describeModels: async (report) =>
            describeModels(report.models, await s.get('models').list()),
        }),
    );
}
