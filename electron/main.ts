/**
 * Entry of dist/electron/main.cjs, which runs in two processes:
 *  - Electron's main process (process.type 'browser'): windows, menu, dialogs, security
 *    settings and IPC forwarding (browser-main.ts);
 *  - the workstation service (process.type 'utility'), started by main with
 *    utilityProcess.fork on this same file: the library, the data folder and every
 *    parser of imported files (workstation-service.ts).
 * The service is imported dynamically, so main never initialises a parser module
 * (esbuild runs a lazily imported module's top level only when the import runs;
 * electron/process-split.test.ts holds main's static import graph to a reviewed list).
 */
import { runMainProcess } from './browser-main.ts';

if (process.type === 'utility') {
  void import('./workstation-service.ts').then((service) => service.runWorkstationService());
} else {
  runMainProcess();
}
