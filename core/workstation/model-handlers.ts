/**
 * Handlers for the installed model packages (core/api/contract.ts `models.*`): the list with
 * each package's verification and activation, installing a package (admins, audited with the
 * package hash) and a package's ONNX bytes for the page's inference worker.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ApiHandlers } from '../api/dispatch.ts';
import { ApiError } from '../base/errors.ts';
import { activationStates } from '../inference/model-activation.ts';
import { readSlots, slotStatuses } from '../inference/slots.ts';
import type { Services } from './services.ts';
import { installModel } from './validation-handlers.ts';

type ModelOps = 'models.list' | 'models.import' | 'models.file';

export function createModelHandlers(services: Services): Pick<ApiHandlers, ModelOps> {
  const models = services.get('models');
  return {
    'models.list': async () => {
      const entries = await models.list();
      const installed = entries.flatMap((e) => (e.ok ? [e.model.manifest] : []));
      const states = await activationStates(models.folder, entries);
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
        slots: slotStatuses(await readSlots(join(models.folder, 'slots')), installed),
      };
    },
    // Installing a model changes what every later analysis says: admins only (the contract),
    // run on every engine here and settled (a new version of an installed model waits as a
    // candidate), audited with the package hash.
    'models.import': async ({ name, bytes }) => {
      const actor = services.get('session').require().username;
      const { installed, engineCheck, state } = await installModel(models, name, bytes, actor);
      await services.find('data')?.audit.append({
        actor,
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
      const { id, version, name: title } = installed;
      return { id, version, name: title, state, engineCheck };
    },
    'models.file': async ({ id, version }) => {
      const entry = (await models.list()).find(
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
