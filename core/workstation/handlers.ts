/**
 * The workstation's API handlers: one function per contract operation, each delegating
 * to a core service. Services are passed in so tests can hand over temporary ones.
 */
import type { ApiHandlers } from '../api/dispatch.ts';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ApiError } from '../api/errors.ts';
import type { RegistryEntry } from '../inference/registry.ts';
import { readSlots, slotStatuses } from '../inference/slots.ts';
import type { Library } from '../library/library.ts';
import { describePhotoFiles } from '../library/describe-photos.ts';
import { readFolderFiles } from '../library/read-folder.ts';
import type { DataFolder } from '../store/data-folder.ts';
import { createReviewHandlers } from './review-handlers.ts';
import { createExchangeHandlers } from './exchange-handlers.ts';
import { createWorklistHandlers } from './worklist-handlers.ts';
import { createAccountHandlers } from './account-handlers.ts';
import { createValidationHandlers, installModel } from './validation-handlers.ts';
import { activationStates, activeModels } from '../inference/model-activation.ts';
import { Session } from '../users/session.ts';
import { AuthError } from '../users/accounts.ts';
import { createHash } from 'node:crypto';

export interface WorkstationContext {
  version: string;
  host: 'electron' | 'browser';
  samplesFolder: string;
  modelsFolder: string;
  library: Library;
  /** Installed models, verified once per process (loading proves schema, hash and self-tests). */
  models: () => Promise<RegistryEntry[]>;
  /** Verifies and installs a package from a zip; the model list is re-read afterwards. */
  importModelPackage: (
    name: string,
    zip: Uint8Array,
  ) => Promise<{ id: string; version: string; name: string; sha256: string }>;
  /** The persistent data folder (accounts, drafts, signed reports, audit log), if any. */
  data?: DataFolder;
}

/** `session` is shared with the dispatcher's access check (see session-authorizer.ts). */
export function createApiHandlers(
  context: WorkstationContext,
  session = new Session(),
): ApiHandlers {
  const { library } = context;
  /** Who the audit trail names for an import: the signed-in user, if any. */
  const actor = () => session.peek()?.username ?? 'not signed in';
  const review = createReviewHandlers({
    data: context.data,
    library,
    models: context.models,
    analysisModels: async () => activeModels(context.modelsFolder, await context.models()),
    session,
  });
  const exportReport = async (reportId: string, version: number) => ({
    sr: (await review['report.dicom']({ reportId, version })).bytes,
    pdf: (await review['report.pdf']({ reportId, version })).bytes,
  });
  return {
    ...review,
    ...createWorklistHandlers({ data: context.data, library, session }),
    ...createAccountHandlers({ data: context.data, session }),
    ...createValidationHandlers({ ...context, session }),
    ...createExchangeHandlers({
      data: context.data,
      library,
      session,
      version: context.version,
      exportReport,
    }),
    'app.info': async () => ({
      product: 'NeoScope',
      version: context.version,
      host: context.host,
      samplesFolder: context.samplesFolder,
      modelsFolder: context.modelsFolder,
    }),
    'library.list': async () => ({ instances: library.list() }),
    'library.importSamples': async () =>
      library.importFiles(await readFolderFiles(context.samplesFolder), actor()),
    'library.importFiles': ({ files }) => library.importFiles(files, actor()),
    'library.describePhotos': ({ files, eyeNamePatterns }) =>
      describePhotoFiles(files, eyeNamePatterns),
    'image.frame': async ({ instanceId, frame }) => library.frame(instanceId, frame),
    'models.list': async () => {
      const entries = await context.models();
      const installed = entries.flatMap((e) => (e.ok ? [e.model.manifest] : []));
      const states = await activationStates(context.modelsFolder, entries);
      const activationOf = (folder: string) => {
        const found = states.find((s) => s.model.folder === folder);
        return found && { state: found.state, engineCheck: found.engineCheck };
      };
      return {
        models: entries.map((entry) =>
          entry.ok
            ? {
                ok: true as const,
                manifest: entry.model.manifest,
                verifiedBackend: entry.model.session.backend,
                activation: activationOf(entry.model.folder),
              }
            : {
                ok: false as const,
                folder: entry.folder,
                code: entry.code,
                message: entry.message,
              },
        ),
        slots: slotStatuses(await readSlots(join(context.modelsFolder, 'slots')), installed),
      };
    },
    'models.import': async ({ name, bytes }) => {
      // Installing a model changes what every later analysis says: admins only, audited with the package hash.
      const user = session.require();
      if (user.role !== 'admin')
        throw new AuthError(
          'AUTH_FORBIDDEN',
          `only an admin installs models (${user.username} is ${user.role})`,
        );
      // Run on every engine here and settled: a new version of an installed model waits as a candidate.
      const { installed, engineCheck, state } = await installModel(
        context,
        context.importModelPackage,
        name,
        bytes,
        user.username,
      );
      await context.data?.audit.append({
        actor: user.username,
        action: 'model-install',
        subject: `${installed.id}@${installed.version}`,
        details: {
          name: installed.name,
          modelSha256: installed.sha256,
          packageFile: name,
          packageSha256: createHash('sha256').update(bytes).digest('hex'),
          state,
          engines: engineCheck.engines,
          maxAbsDifference: engineCheck.maxAbsDifference,
          tolerance: engineCheck.tolerance,
        },
      });
      return {
        id: installed.id,
        version: installed.version,
        name: installed.name,
        state,
        engineCheck,
      };
    },
    'models.file': async ({ id, version }) => {
      const entry = (await context.models()).find(
        (e) => e.ok && e.model.manifest.id === id && e.model.manifest.version === version,
      );
      if (!entry?.ok)
        throw new ApiError({
          code: 'NOT_FOUND',
          message: `Model ${id} ${version} is not installed or did not pass verification.`,
        });
      return {
        sha256: entry.model.manifest.sha256,
        bytes: new Uint8Array(await readFile(join(entry.model.folder, 'model.onnx'))),
      };
    },
  };
}
