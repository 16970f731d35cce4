/** Assembles the services and the API dispatcher one process (Electron or host) serves. */
import { createDispatcher, type ApiDispatcher } from '../api/dispatch.ts';
import { createLibrary, type Library } from '../library/library.ts';
import { createApiHandlers } from './handlers.ts';
import { bundledFolders, productVersion } from './paths.ts';

export interface Workstation {
  dispatch: ApiDispatcher;
  library: Library;
  samplesFolder: string;
  modelsFolder: string;
  rendererFolder: string;
}

export function createWorkstation(root: string, host: 'electron' | 'browser', log: (line: string) => void): Workstation {
  const folders = bundledFolders(root);
  const library = createLibrary();
  const handlers = createApiHandlers({ version: productVersion(root), host, library, ...folders });
  return { dispatch: createDispatcher(handlers, log), library, ...folders };
}
