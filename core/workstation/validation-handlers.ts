/**
 * Handlers of the learning loop (core/api/contract-validation.ts): the site's agreement
 * report for readers and admins, and the guarded upgrade of a model for admins — compare a
 * candidate with the active version on the signed cases, then activate one (audited).
 * Installing itself stays `models.import` (model-handlers.ts), which calls `installModel`
 * here so a new package is checked on every engine and settled as active or candidate.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ApiHandlers } from '../api/dispatch.ts';
import { ApiError } from '../base/errors.ts';
import {
  availableEngines,
  checkEngineAgreement,
  type EngineCheck,
} from '../inference/engine-agreement.ts';
import {
  activateVersion,
  activationStates,
  settleAfterInstall,
  writeEngineCheck,
  type ActivationState,
} from '../inference/model-activation.ts';
import { ModelError } from '../inference/model-errors.ts';
import { AuthError, domainOfRole } from '../users/accounts.ts';
import { siteValidation } from '../validation/site-validation.ts';
import { READ_DOMAINS } from '../vocabulary/domains.ts';
import { compareOnSignedCases } from './model-comparison.ts';
import type { InstalledPackage, ModelCatalogue } from './model-catalogue.ts';
import type { Services } from './services.ts';

type ValidationOps = 'validation.report' | 'models.compare' | 'models.activate';

/**
 * `models.import`'s install step: the package is installed (verified in full by the
 * registry), run on every engine of this process with the difference recorded beside it, and
 * settled: a new version of an installed model waits as a candidate.
 */
export async function installModel(
  models: ModelCatalogue,
  name: string,
  zip: Uint8Array,
  actor: string,
): Promise<{ installed: InstalledPackage; engineCheck: EngineCheck; state: ActivationState }> {
  const before = await models.list();
  const installed = await models.install(name, zip);
  const entry = (await models.list()).find(
    (e) =>
      e.ok &&
      e.model.manifest.id === installed.id &&
      e.model.manifest.version === installed.version,
  );
  if (!entry?.ok)
    throw new ModelError(
      'MODEL_NOT_INSTALLED',
      `${installed.id} ${installed.version} was installed but does not load from the models folder`,
    );
  const { folder, manifest } = entry.model;
  const engineCheck = await checkEngineAgreement(
    manifest,
    new Uint8Array(await readFile(join(folder, 'model.onnx'))),
    await availableEngines(),
  );
  await writeEngineCheck(folder, engineCheck);
  const state = await settleAfterInstall(
    models.folder,
    before,
    { id: installed.id, version: installed.version, engineCheck },
    actor,
  );
  return { installed, engineCheck, state };
}

export function createValidationHandlers(services: Services): Pick<ApiHandlers, ValidationOps> {
  const session = services.get('session');
  const models = services.get('models');
  const admin = () => session.require().username;
  const installedVersion = async (id: string, version: string) => {
    const states = await activationStates(models.folder, await models.list());
    const wanted = states.find(
      (s) => s.model.manifest.id === id && s.model.manifest.version === version,
    );
    if (!wanted)
      throw new ApiError({
        code: 'NOT_FOUND',
        message: `Model ${id} ${version} is not installed or did not pass verification.`,
      });
    return {
      wanted,
      active: states.find((s) => s.model.manifest.id === id && s.state === 'active'),
    };
  };
  return {
    'validation.report': async ({ model, since }) => {
      const data = services.get('data');
      const user = session.require();
      // Readers judge the models of the exams they read; admins oversee every domain.
      if (user.role === 'technician')
        throw new AuthError(
          'AUTH_FORBIDDEN',
          'the validation report is for readers and admins (a technician does not read exams)',
        );
      const own = domainOfRole(user.role);
      return siteValidation(data, {
        ...(model ? { model } : {}),
        ...(since ? { since } : {}),
        domains: own ? [own] : READ_DOMAINS,
      });
    },
    'models.compare': async ({ id, version, limit }) => {
      const data = services.get('data');
      const { wanted, active } = await installedVersion(id, version);
      if (wanted.state === 'active')
        throw new ApiError({
          code: 'API_INVALID_ARGUMENTS',
          message: `${id} ${version} is the active version; compare a candidate with it.`,
        });
      return compareOnSignedCases({
        data,
        library: services.get('library'),
        patients: services.get('patients'),
        annotations: services.get('annotations'),
        candidate: wanted.model,
        ...(active ? { active: active.model } : {}),
        ...(limit ? { limit } : {}),
      });
    },
    'models.activate': async ({ id, version }) => {
      const data = services.get('data');
      const actor = admin();
      const result = await activateVersion(models.folder, await models.list(), id, version, actor);
      const { wanted } = await installedVersion(id, version);
      await data.audit.append({
        actor,
        action: 'model-activate',
        subject: `${id}@${version}`,
        details: {
          previous: result.previous,
          modelSha256: wanted.model.manifest.sha256,
          ...(result.engineCheck
            ? {
                engines: result.engineCheck.engines,
                maxAbsDifference: result.engineCheck.maxAbsDifference,
                tolerance: result.engineCheck.tolerance,
              }
            : {}),
        },
      });
      return { id, version, previous: result.previous };
    },
  };
}
