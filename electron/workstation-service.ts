/**
 * The workstation service: what runs in Electron's utilityProcess (dist/electron/main.cjs
 * started with process.type 'utility', see main.ts). It owns the data folder, the library
 * and the model registry, and is the only Electron process that reads and parses imported
 * files (DICOM, zip, images, model packages). It has Node but none of main's Electron
 * APIs (no windows, dialogs, protocol or session), so a parser exploit here does not get
 * main's privileges; see README "Security" for what it does not isolate.
 */
import type { ImportReport } from '../core/api/schemas.ts';
import { readImportPath } from '../core/library/read-import-path.ts';
import { createWorkstation } from '../core/workstation/create-workstation.ts';
import { serveWorkstation, type ParentPortLike } from './service-host.ts';
import type { ImportSummary } from './service-protocol.ts';

const summarize = (report: ImportReport): ImportSummary => ({
  imported: report.imported.length,
  duplicates: report.duplicates.length,
  failed: report.failed.length,
});

export function runWorkstationService(parentPort: ParentPortLike = process.parentPort): void {
  const log = (line: string) => console.log(`[neoscope service] ${line}`);
  serveWorkstation(
    parentPort,
    async ({ root, dataFolder }) => {
      const workstation = await createWorkstation(root, 'electron', log, { dataFolder });
      const importPath = async (path: string) => {
        const report = await workstation.library.importFiles(await readImportPath(path));
        for (const failure of report.failed)
          log(`not readable: ${failure.fileName}: ${failure.message}`);
        return summarize(report);
      };
      // The bundled samples are listed from the first moment, as in the browser host.
      const samples = await importPath(workstation.samplesFolder);
      return {
        samples,
        dispatch: workstation.dispatch,
        importPath,
        close: () => workstation.data?.close(),
      };
    },
    log,
    (code) => process.exit(code),
  );
}
