/**
 * Handlers for offline exchange (core/api/contract-exchange.ts); they need the data folder.
 * The site key is sealed under an admin passphrase: an admin enters it once (exchange.initSite
 * creates the key or unlocks the existing one), and this process keeps the unlocked key in
 * memory until it exits; packages are signed with it by whoever is signed in. Every package
 * carries the audit checkpoint in its signed manifest, and every signed report in a results
 * package is re-verified before it is packed.
 */
import type { ApiHandlers } from '../api/dispatch.ts';
import { ApiError, CodedError } from '../api/errors.ts';
import type { SignedReport } from '../reports/signed-reports.ts';
import { importBatch } from '../exchange/batch-import.ts';
import { createBatch } from '../exchange/batch-package.ts';
import { selectBatchImages } from '../exchange/batch-selection.ts';
import {
  readReidentification,
  recordReidentification,
} from '../exchange/reidentification-table.ts';
import { ExchangeError, PartnerKeys, SiteIdentity } from '../exchange/site-identity.ts';
import { createResultsBatch, importResults, receivedResults } from '../exchange/results-package.ts';
import type { Library } from '../library/library.ts';
import type { DataFolder } from '../store/data-folder.ts';
import { AuthError } from '../users/accounts.ts';
import type { Session } from '../users/session.ts';
import { describeDateRange } from '../vocabulary/study-dates.ts';
import { recordResultExport } from '../worklist/exam-status.ts';

type ExchangeOps =
  | 'exchange.status'
  | 'exchange.initSite'
  | 'exchange.addPartner'
  | 'exchange.createBatch'
  | 'exchange.importBatch'
  | 'exchange.exportResults'
  | 'exchange.importResults'
  | 'exchange.receivedResults';

class StoreRequired extends CodedError<'STORE_REQUIRED'> {}

export function createExchangeHandlers(deps: {
  data?: DataFolder;
  library: Library;
  session: Session;
  version: string;
  /** The signed report's SR and PDF, as report.dicom and report.pdf make them. */
  exportReport: (reportId: string, version: number) => Promise<{ sr: Uint8Array; pdf: Uint8Array }>;
}): Pick<ApiHandlers, ExchangeOps> {
  const { data, library, session } = deps;
  const folder = () => {
    if (!data)
      throw new StoreRequired(
        'STORE_REQUIRED',
        'this workstation runs without a data folder (preview); exchange needs one',
      );
    return data.folder;
  };
  const admin = () => {
    const user = session.require();
    if (user.role !== 'admin')
      throw new AuthError('AUTH_FORBIDDEN', 'only an admin sets up site keys');
    return user;
  };
  /** The site key, unlocked by an admin's passphrase, for as long as this process runs. */
  let unlocked: SiteIdentity | undefined;
  const signingIdentity = async () => {
    if (unlocked) return unlocked;
    const site = await SiteIdentity.readPublic(folder());
    throw new ExchangeError(
      'EXCHANGE_SITE_LOCKED',
      `the key of site ${site.siteId} is locked: an admin enters the site passphrase in the Exchange panel once after the workstation starts`,
    );
  };
  return {
    'exchange.status': async () => {
      session.require();
      const site = await SiteIdentity.readPublic(folder()).catch(() => undefined);
      return {
        ...(site
          ? {
              site: {
                siteId: site.siteId,
                publicKey: site.publicKey,
                fingerprint: site.fingerprint,
              },
              siteKey: unlocked ? ('unlocked' as const) : ('locked' as const),
            }
          : {}),
        partners: await new PartnerKeys(folder()).list(),
      };
    },
    'exchange.initSite': async ({ siteId, passphrase }) => {
      const user = admin();
      const existed = await SiteIdentity.readPublic(folder()).then(
        () => true,
        () => false,
      );
      unlocked = await SiteIdentity.init(folder(), siteId, passphrase);
      await data!.audit.append({
        actor: user.username,
        action: 'edit',
        subject: `site:${unlocked.siteId}`,
        details: {
          siteKey: existed
            ? unlocked.migrated
              ? 'sealed under a passphrase and unlocked'
              : 'unlocked'
            : 'created',
          fingerprint: unlocked.fingerprint,
        },
      });
      return unlocked.public;
    },
    'exchange.addPartner': async (partner) => {
      admin();
      return new PartnerKeys(folder()).add(partner);
    },
    'exchange.createBatch': async ({ instanceIds, studyDates, deidentifyKey }) => {
      const user = session.require();
      const identity = await signingIdentity();
      const { selected, unknownIds } = selectBatchImages(library.list(), {
        instanceIds,
        studyDates,
      });
      if (unknownIds.length)
        throw new ApiError({
          code: 'NOT_FOUND',
          message: `No image with id ${unknownIds[0]!.slice(0, 12)}… is in the library.`,
        });
      if (!selected.length)
        throw new ApiError({
          code: 'NOT_FOUND',
          message: `No image of this site has a study date ${describeDateRange(studyDates ?? {})}: nothing to send.`,
        });
      const files = [];
      for (const instance of selected)
        files.push({
          name: instance.fileName,
          bytes: await data!.instances.bytes(instance.instanceId),
        });
      const checkpoint = await data!.audit.checkpoint();
      const { zip, manifest, reidentification } = await createBatch(files, identity, {
        softwareVersion: deps.version,
        checkpoint,
        ...(deidentifyKey ? { deidentify: { key: deidentifyKey } } : {}),
      });
      await recordReidentification(folder(), reidentification);
      await data!.audit.appendEmitted(
        {
          actor: user.username,
          action: 'export',
          subject: `batch:${manifest.batchId}`,
          details: {
            files: manifest.counts.files,
            deidentified: manifest.deidentified,
            ...(studyDates ? { studyDates: describeDateRange(studyDates) } : {}),
          },
        },
        checkpoint,
      );
      return {
        fileName: `neoscope-batch-${identity.siteId}-${manifest.createdAt.slice(0, 10)}-${manifest.batchId.slice(0, 8)}.zip`,
        bytes: new Uint8Array(zip),
        files: manifest.counts.files,
        patients: new Set(selected.map((i) => i.patientId)).size,
        pseudonyms: reidentification.length,
      };
    },
    'exchange.exportResults': async ({ patientId }) => {
      const user = session.require();
      const identity = await signingIdentity();
      const results: { report: SignedReport; sr: Uint8Array; pdf: Uint8Array }[] = [];
      for (const latest of await data!.reports.latestOfPatient(patientId)) {
        // The index is written from the verified frozen report, like the SR and PDF beside it.
        const report = await data!.reports.readVerified(latest.content.reportId, latest.version);
        results.push({
          report,
          ...(await deps.exportReport(report.content.reportId, report.version)),
        });
      }
      if (!results.length)
        throw new ApiError({
          code: 'NOT_FOUND',
          message: `Patient ${patientId} has no signed report to return.`,
        });
      const checkpoint = await data!.audit.checkpoint();
      const { zip, manifest } = await createResultsBatch(
        results,
        identity,
        deps.version,
        checkpoint,
      );
      const now = new Date();
      for (const { report } of results)
        recordResultExport(
          data!.db,
          report.content.reportId,
          report.version,
          manifest.batchId,
          user.username,
          now,
        );
      await data!.audit.appendEmitted(
        {
          actor: user.username,
          action: 'export',
          subject: `results:${manifest.batchId}`,
          details: { patientId, reports: results.length },
        },
        checkpoint,
      );
      return {
        fileName: `neoscope-results-${identity.siteId}-${patientId}-${manifest.batchId.slice(0, 8)}.zip`,
        bytes: new Uint8Array(zip),
        reports: results.length,
      };
    },
    'exchange.importResults': async ({ name, bytes, acceptOld }) => {
      const user = session.require();
      const reidentification = await readReidentification(folder());
      const { manifest, attached } = await importResults(bytes, name, {
        data: data!,
        partners: new PartnerKeys(folder()),
        reidentification,
        actor: user.username,
        acceptOld,
      });
      return { from: manifest.sender.siteId, attached };
    },
    'exchange.receivedResults': async ({ patientId }) => {
      session.require();
      const results = [];
      for (const r of receivedResults(data!, patientId)) {
        results.push({
          reportId: r.reportId,
          version: r.version,
          fromSite: r.fromSite,
          contentHash: r.contentHash,
          ...(r.pdfObject ? { pdf: new Uint8Array(await data!.objects.get(r.pdfObject)) } : {}),
        });
      }
      return { results };
    },
    'exchange.importBatch': async ({ name, bytes, acceptOld }) => {
      const user = session.require();
      const { manifest, report } = await importBatch(bytes, name, {
        library,
        partners: new PartnerKeys(folder()),
        audit: data!.audit,
        actor: user.username,
        acceptOld,
      });
      return { batchId: manifest.batchId, from: manifest.sender.siteId, report };
    },
  };
}
