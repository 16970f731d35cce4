/**
 * The workstation service: what runs in Electron's utilityProcess (dist/electron/main.cjs
 * started with process.type 'utility', see main.ts). It owns the data folder, the library
 * and the model registry, and is the only Electron process that reads and parses imported
 * files (DICOM, zip, images, model packages). It has Node but none of main's Electron
 * APIs (no windows, dialogs, protocol or session), so a parser exploit here does not get
 * main's privileges; see README "Security" for what it does not isolate.
 *
 * Files chosen in main's Import menu are read here and imported through the dispatcher, like
 * the page's imports: only while someone is signed in, and the audit log names that user.
 */
import { MAX_FILES_PER_IMPORT_CALL } from '../core/api/contract.ts';
import type { ApiDispatcher } from '../core/api/dispatch.ts';
import type { ImportReport } from '../core/api/schemas.ts';
import type { ImportFile } from '../core/library/library.ts';
import { readImportPath } from '../core/library/read-import-path.ts';
import { createWorkstation } from '../core/workstation/create-workstation.ts';
import { serveWorkstation, type ParentPortLike } from './service-host.ts';
import type { ImportSummary } from './service-protocol.ts';

const summarize = (report: ImportReport): ImportSummary => ({
  imported: report.imported.length,
  duplicates: report.duplicates.length,
  failed: report.failed.length,
});

/**
 * Imports files through `library.importFiles`, as many per call as the contract takes. A
 * photo export's sidecar CSV goes with every call, so each photo meets its row whichever call
 * carries it (the page's import does the same).
 */
export async function importThroughDispatcher(
  dispatch: ApiDispatcher,
  files: ImportFile[],
): Promise<ImportReport> {
  const sidecars = files.filter((f) => /\.csv$/i.test(f.name));
  const rest = files.filter((f) => !sidecars.includes(f));
  const perCall = Math.max(1, MAX_FILES_PER_IMPORT_CALL - sidecars.length);
  const total: ImportReport = { imported: [], duplicates: [], failed: [], skipped: [] };
  if (!files.length) return total;
  for (let at = 0; at === 0 || at < rest.length; at += perCall) {
    const response = await dispatch('library.importFiles', {
      files: [...sidecars, ...rest.slice(at, at + perCall)],
    });
    if (!response.ok) throw Object.assign(new Error(response.error.message), response.error);
    const report = response.value as ImportReport;
    total.imported.push(...report.imported);
    total.duplicates.push(...report.duplicates);
    total.failed.push(...report.failed);
    for (const skipped of report.skipped)
      if (!total.skipped.some((s) => s.fileName === skipped.fileName)) total.skipped.push(skipped);
  }
  return total;
}

export function runWorkstationService(parentPort: ParentPortLike = process.parentPort): void {
  const log = (line: string) => console.log(`[neoscope service] ${line}`);
  serveWorkstation(
    parentPort,
    async ({ root, dataFolder }) => {
      const workstation = await createWorkstation(root, 'electron', log, { dataFolder });
      const logFailures = (report: ImportReport) => {
        for (const failure of report.failed)
          log(`not readable: ${failure.fileName}: ${failure.message}`);
        return summarize(report);
      };
      // The bundled samples are listed from the first moment, as in the browser host.
      const samples = logFailures(
        await workstation.library.importFiles(await readImportPath(workstation.samplesFolder)),
      );
      return {
        samples,
        dispatch: workstation.dispatch,
        importPath: async (path) =>
          logFailures(
            await importThroughDispatcher(workstation.dispatch, await readImportPath(path)),
          ),
        events: workstation.events,
        close: () => workstation.close(),
      };
    },
    log,
    (code) => process.exit(code),
  );
}
