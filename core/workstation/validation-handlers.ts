/**
 * Handlers of the learning loop (core/api/contract-validation.ts): the site's agreement
 * report for readers and admins, and the guarded upgrade of a model for admins — compare a
 * candidate with the active version on the signed cases, then activate one (audited).
 * Installing itself stays `models.import` (handlers.ts), which calls `installModel` here so a
 * new package is checked on every engine and settled as active or candidate.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ApiHandlers } from '../api/dispatch.ts';
import { ApiError, CodedError } from '../api/errors.ts';
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
import type { RegistryEntry } from '../inference/registry.ts';
import type { Library } from '../library/library.ts';
import { PatientRecords } from '../patients/patient-records.ts';
import type { DataFolder } from '../store/data-folder.ts';
import { AuthError, domainOfRole } from '../users/accounts.ts';
import type { Session } from '../users/session.ts';
import { siteValidation } from '../validation/site-validation.ts';
import { compareOnSignedCases } from './model-comparison.ts';

type ValidationOps = 'validation.report' | 'models.compare' | 'models.activate';

class StoreRequired extends CodedError<'STORE_REQUIRED'> {}

export interface LearningLoopDeps {
  data?: DataFolder;
  library: Library;
  session: Session;
  modelsFolder: string;
  /** Every installed package, verified (the registry's list). */
  models: () => Promise<RegistryEntry[]>;
}

function requireData(data: DataFolder | undefined): DataFolder {
  if (!data)
    throw new StoreRequired(
      'STORE_REQUIRED',
      'this workstation runs without a data folder (preview); signed reports need one',
    );
  return data;
}

function requireAdmin(session: Session, what: string): string {
  const user = session.require();
  if (user.role !== 'admin')
    throw new AuthError(
      'AUTH_FORBIDDEN',
      `only an admin ${what} (${user.username} is ${user.role})`,
    );
  return user.username;
}

/**
 * `models.import`'s install step: the package is installed (verified in full by the
 * registry), run on every engine of this process with the difference recorded beside it, and
 * settled: a new version of an installed model waits as a candidate.
 */
export async function installModel<T extends { id: string; version: string }>(
  deps: Pick<LearningLoopDeps, 'models' | 'modelsFolder'>,
  importModelPackage: (name: string, zip: Uint8Array) => Promise<T>,
  name: string,
  zip: Uint8Array,
  actor: string,
): Promise<{ installed: T; engineCheck: EngineCheck; state: ActivationState }> {
  const before = await deps.models();
  const installed = await importModelPackage(name, zip);
  const entry = (await deps.models()).find(
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
    deps.modelsFolder,
    before,
    { id: installed.id, version: installed.version, engineCheck },
    actor,
  );
  return { installed, engineCheck, state };
}

export function createValidationHandlers(deps: LearningLoopDeps): Pick<ApiHandlers, ValidationOps> {
  const { session, library } = deps;
  const installedVersion = async (id: string, version: string) => {
    const states = await activationStates(deps.modelsFolder, await deps.models());
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
      const data = requireData(deps.data);
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
        domains: own ? [own] : ['retina', 'chest'],
      });
    },
    'models.compare': async ({ id, version, limit }) => {
      const data = requireData(deps.data);
      requireAdmin(session, 'compares model versions');
      const { wanted, active } = await installedVersion(id, version);
      if (wanted.state === 'active')
        throw new ApiError({
          code: 'API_INVALID_ARGUMENTS',
          message: `${id} ${version} is the active version; compare a candidate with it.`,
        });
      return compareOnSignedCases({
        data,
        library,
        patients: new PatientRecords(data.db, data.audit),
        candidate: wanted.model,
        ...(active ? { active: active.model } : {}),
        ...(limit ? { limit } : {}),
      });
    },
    'models.activate': async ({ id, version }) => {
      const data = requireData(deps.data);
      const admin = requireAdmin(session, 'activates models');
      const result = await activateVersion(
        deps.modelsFolder,
        await deps.models(),
        id,
        version,
        admin,
      );
      const { wanted } = await installedVersion(id, version);
      await data.audit.append({
        actor: admin,
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
