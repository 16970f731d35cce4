/** Assembles the services and the API dispatcher one process (Electron or host) serves. */
import { createDispatcher, type ApiDispatcher } from '../api/dispatch.ts';
import { createWasmNodeEngine } from '../inference/engine-wasm-node.ts';
import {
  createModelRegistry,
  installPackageZip,
  type RegistryEntry,
} from '../inference/registry.ts';
import { createLibrary, type Library } from '../library/library.ts';
import { createApiHandlers } from './handlers.ts';
import { sessionAuthorizer } from './session-authorizer.ts';
import { Session } from '../users/session.ts';
import { libraryFor, openDataFolder, type DataFolder } from '../store/data-folder.ts';
import { join } from 'node:path';
import { bundledFolders, productVersion } from './paths.ts';

export interface Workstation {
  dispatch: ApiDispatcher;
  library: Library;
  /** The data folder, when the workstation persists (absent: an in-memory preview). */
  data?: DataFolder;
  samplesFolder: string;
  modelsFolder: string;
  rendererFolder: string;
  /** onnxruntime-web's runtime files, served to the page's inference worker. */
  ortFolder: string;
}

export async function createWorkstation(
  root: string,
  host: 'electron' | 'browser',
  log: (line: string) => void,
  overrides: { modelsFolder?: string; dataFolder?: string; clock?: () => number } = {},
): Promise<Workstation> {
  const { dataFolder, clock, ...folderOverrides } = overrides;
  const folders = { ...bundledFolders(root), ...folderOverrides };
  const data = dataFolder ? await openDataFolder(dataFolder) : undefined;
  if (data) {
    log(`data folder ${data.folder}`);
    for (const line of data.recovered) log(`recovered after an interruption: ${line}`);
  }
  const library = data ? libraryFor(data) : createLibrary();
  const registry = createModelRegistry(folders.modelsFolder, createWasmNodeEngine());
  let models: Promise<RegistryEntry[]> | undefined;
  const importModelPackage = async (name: string, zip: Uint8Array) => {
    const installed = await installPackageZip(registry, name, zip);
    await installed.session.release();
    models = undefined; // re-verify the list with the new package in it
    return {
      id: installed.manifest.id,
      version: installed.manifest.version,
      name: installed.manifest.name,
      sha256: installed.manifest.sha256,
    };
  };
  const session = new Session(clock);
  const handlers = createApiHandlers(
    {
      version: productVersion(root),
      host,
      library,
      models: () => (models ??= registry.list()),
      importModelPackage,
      data,
      ...folders,
    },
    session,
  );
  return {
    dispatch: createDispatcher(handlers, log, sessionAuthorizer(session)),
    library,
    data,
    ...folders,
    ortFolder: join(root, 'node_modules', 'onnxruntime-web', 'dist'),
  };
}
