/**
 * One workstation process (Electron's workstation service or the browser host): the data
 * folder opened, the services built once (services.ts), the dispatcher the transports call and
 * the events they forward to the page.
 */
import { join } from 'node:path';
import { createDispatcher, type ApiDispatcher } from '../api/dispatch.ts';
import type { Library } from '../library/library.ts';
import { openDataFolder, type DataFolder } from '../store/data-folder.ts';
import { createApiHandlers } from './handlers.ts';
import { modelCatalogue } from './model-catalogue.ts';
import { pageEvents, type PageEvents } from './page-events.ts';
import { bundledFolders, productVersion } from './paths.ts';
import { sessionAuthorizer } from './session-authorizer.ts';
import { createServices, type Services } from './services.ts';

export interface Workstation {
  dispatch: ApiDispatcher;
  /** Subscribes a transport to the events the page may hear; returns the unsubscribe. */
  events: PageEvents;
  services: Services;
  library: Library;
  /** The data folder, when the workstation persists (absent: an in-memory preview). */
  data?: DataFolder;
  samplesFolder: string;
  modelsFolder: string;
  rendererFolder: string;
  /** onnxruntime-web's runtime files, served to the page's inference worker. */
  ortFolder: string;
  /** Stops the inference worker and closes the data folder. */
  close(): Promise<void>;
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
  const services = createServices({
    product: {
      version: productVersion(root),
      host,
      samplesFolder: folders.samplesFolder,
      modelsFolder: folders.modelsFolder,
    },
    models: modelCatalogue(folders.modelsFolder),
    ...(data ? { data } : {}),
    ...(clock ? { clock } : {}),
    log,
  });
  const session = services.get('session');
  return {
    dispatch: createDispatcher(createApiHandlers(services), log, sessionAuthorizer(session)),
    events: pageEvents(services.get('events'), session),
    services,
    library: services.get('library'),
    data,
    ...folders,
    ortFolder: join(root, 'node_modules', 'onnxruntime-web', 'dist'),
    async close() {
      await services.find('inference')?.close();
      data?.close();
    },
  };
}
