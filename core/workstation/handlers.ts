/**
 * The workstation's API handlers: one function per contract operation, each delegating
 * to a core service. Services are passed in so tests can hand over temporary ones.
 */
import type { ApiHandlers } from '../api/dispatch.ts';
import type { Library } from '../library/library.ts';
import { readFolderFiles } from '../library/read-folder.ts';

export interface WorkstationContext {
  version: string;
  host: 'electron' | 'browser';
  samplesFolder: string;
  modelsFolder: string;
  library: Library;
}

export function createApiHandlers(context: WorkstationContext): ApiHandlers {
  const { library } = context;
  return {
    'app.info': async () => ({
      product: 'NeoScope',
      version: context.version,
      host: context.host,
      samplesFolder: context.samplesFolder,
      modelsFolder: context.modelsFolder,
    }),
    'library.list': async () => ({ instances: library.list() }),
    'library.importSamples': async () => library.importFiles(await readFolderFiles(context.samplesFolder)),
    'library.importFiles': ({ files }) => library.importFiles(files),
    'image.frame': async ({ instanceId, frame }) => library.frame(instanceId, frame),
  };
}
