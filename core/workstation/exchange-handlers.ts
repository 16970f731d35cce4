/** Handlers for offline exchange (core/api/contract-exchange.ts); they need the data folder. */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ApiHandlers } from '../api/dispatch.ts';
import { ApiError, CodedError } from '../api/errors.ts';
import { importBatch } from '../exchange/batch-import.ts';
import { createBatch, type Reidentification } from '../exchange/batch-package.ts';
import { PartnerKeys, SiteIdentity } from '../exchange/site-identity.ts';
import type { Library } from '../library/library.ts';
import type { DataFolder } from '../store/data-folder.ts';
import { AuthError } from '../users/accounts.ts';
import type { Session } from '../users/session.ts';

type ExchangeOps = 'exchange.status' | 'exchange.initSite' | 'exchange.addPartner' | 'exchange.createBatch' | 'exchange.importBatch';

class StoreRequired extends CodedError<'STORE_REQUIRED'> {}

export function createExchangeHandlers(deps: { data?: DataFolder; library: Library; session: Session; version: string }): Pick<ApiHandlers, ExchangeOps> {
  const { data, library, session } = deps;
  const folder = () => {
    if (!data) throw new StoreRequired('STORE_REQUIRED', 'this workstation runs without a data folder (preview); exchange needs one');
    return data.folder;
  };
  const admin = () => {
    const user = session.require();
    if (user.role !== 'admin') throw new AuthError('AUTH_FORBIDDEN', 'only an admin sets up site keys');
    return user;
  };
  return {
    'exchange.status': async () => {
      session.require();
      const identity = await SiteIdentity.load(folder()).catch(() => undefined);
      return { ...(identity ? { site: identity.public } : {}), partners: await new PartnerKeys(folder()).list() };
    },
    'exchange.initSite': async ({ siteId }) => {
      admin();
      return (await SiteIdentity.init(folder(), siteId)).public;
    },
    'exchange.addPartner': async (partner) => {
      admin();
      return new PartnerKeys(folder()).add(partner);
    },
    'exchange.createBatch': async ({ instanceIds, deidentifyKey }) => {
      const user = session.require();
      const identity = await SiteIdentity.load(folder());
      const known = new Map(library.list().map((i) => [i.instanceId, i]));
      const files = [];
      for (const id of instanceIds) {
        const instance = known.get(id);
        if (!instance) throw new ApiError({ code: 'NOT_FOUND', message: `No image with id ${id.slice(0, 12)}… is in the library.` });
        files.push({ name: instance.fileName, bytes: await data!.instances.bytes(id) });
      }
      const { zip, manifest, reidentification } = await createBatch(files, identity, { softwareVersion: deps.version, ...(deidentifyKey ? { deidentify: { key: deidentifyKey } } : {}) });
      if (reidentification.length) {
        const file = join(folder(), 'site', 'reidentification.json');
        const existing: Reidentification[] = JSON.parse(await readFile(file, 'utf8').catch(() => '[]'));
        await writeFile(file, JSON.stringify([...existing.filter((e) => !reidentification.some((r) => r.pseudonym === e.pseudonym)), ...reidentification], null, 2), { mode: 0o600 });
      }
      await data!.audit.append({ actor: user.username, action: 'export', subject: `batch:${manifest.batchId}`, details: { files: manifest.counts.files, deidentified: manifest.deidentified } });
      return { fileName: `neoscope-batch-${identity.siteId}-${manifest.createdAt.slice(0, 10)}-${manifest.batchId.slice(0, 8)}.zip`, bytes: new Uint8Array(zip), files: manifest.counts.files, pseudonyms: reidentification.length };
    },
    'exchange.importBatch': async ({ name, bytes }) => {
      const user = session.require();
      const { manifest, report } = await importBatch(bytes, name, { library, partners: new PartnerKeys(folder()), audit: data!.audit, actor: user.username });
      return { batchId: manifest.batchId, from: manifest.sender.siteId, report };
    },
  };
}
