/**
 * The workstation's API handlers: one function per contract operation, each turning its
 * arguments into a call of a service from the composition root (services.ts) and the answer
 * into the contract's result. Tests hand over services of their own making.
 */
import type { ApiHandlers } from '../api/dispatch.ts';
import { describePhotoFiles } from '../library/describe-photos.ts';
import { readFolderFiles } from '../library/read-folder.ts';
import { createAccountHandlers } from './account-handlers.ts';
import { createExchangeHandlers } from './exchange-handlers.ts';
import { createModelHandlers } from './model-handlers.ts';
import { createPatientHandlers } from './patient-handlers.ts';
import { createReviewHandlers } from './review-handlers.ts';
import type { Services } from './services.ts';
import { createValidationHandlers } from './validation-handlers.ts';
import { createWorklistHandlers } from './worklist-handlers.ts';

export function createApiHandlers(services: Services): ApiHandlers {
  const session = services.get('session');
  const library = services.get('library');
  const product = services.get('product');
  /** Who the audit trail names for an import: the signed-in user (the contract requires one). */
  const actor = () => session.peek()?.username ?? 'not signed in';
  return {
    ...createAccountHandlers(services),
    ...createPatientHandlers(services),
    ...createReviewHandlers(services),
    ...createWorklistHandlers(services),
    ...createModelHandlers(services),
    ...createValidationHandlers(services),
    ...services.get('inference').handlers,
    ...createExchangeHandlers({
      data: services.find('data'),
      library,
      session,
      version: product.version,
      exportReport: (reportId, version) =>
        services.get('reportExporter').forResults(reportId, version),
    }),
    'app.info': async () => ({ product: 'NeoScope', ...product }),
    'library.list': async () => ({ instances: library.list() }),
    'library.importSamples': async () =>
      library.importFiles(await readFolderFiles(product.samplesFolder), actor()),
    'library.importFiles': ({ files }) => library.importFiles(files, actor()),
    'library.describePhotos': async ({ files, eyeNamePatterns }) =>
      describePhotoFiles(files, eyeNamePatterns),
    'image.frame': async ({ instanceId, frame }) => library.frame(instanceId, frame),
  };
}
