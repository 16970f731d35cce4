/**
 * A workstation whose readers have signed ROP visits, for the learning-loop tests: each
 * infant's visit is a pair of fundus photos (the bundled CHASE export, re-encoded a little
 * differently per infant so every image is its own), opened and signed through the API by an
 * ophthalmologist, with model values recorded as an analysis would record them.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import type { OperationName } from '../../api/contract.ts';
import { ReviewService } from '../../review/review-service.ts';
import { projectRoot } from '../../testing/shared-data.ts';
import { Accounts } from '../../users/accounts.ts';
import { createWorkstation, type Workstation } from '../../workstation/create-workstation.ts';

export type Value = string | number;

export interface VisitPlan {
  patientId: string;
  /** YYYYMMDD */
  examDate: string;
  /** Model values: field → value, from model `rop-site` at `version` (with a confidence). */
  ai?: Record<string, { value: Value; confidence?: number }>;
  version?: string;
  reader: Record<string, Value>;
  /** Sign (default), or leave the report open. */
  sign?: boolean;
  /** After signing, amend these reader values (a second signed version). */
  amend?: Record<string, Value>;
  /** Who reads and signs (default: Ada). */
  signer?: { username: string; password: string };
}

export interface SignedVisit {
  reportId: string;
  patientId: string;
  od: string;
  os: string;
}

export const READER = { username: 'ada', password: 'retina-2026!' };
export const SECOND_READER = { username: 'ben', password: 'retina-2027!' };
export const ADMIN = { username: 'admin', password: 'admin-pass-1' };

export type Call = (op: OperationName, args: unknown) => Promise<never>;

/** The site's accounts: an admin, two ophthalmologists, a radiologist and a technician. */
export async function createSiteAccounts(call: Call): Promise<void> {
  await call('users.create', { ...ADMIN, displayName: 'Site Admin', role: 'admin' });
  await call('auth.login', ADMIN);
  await call('users.create', { ...READER, displayName: 'Ada Reader', role: 'ophthalmologist' });
  await call('users.create', {
    ...SECOND_READER,
    displayName: 'Ben Reader',
    role: 'ophthalmologist',
  });
  await call('users.create', {
    username: 'rad',
    password: 'chest-films-2026',
    displayName: 'Rae Diologist',
    role: 'radiologist',
  });
  await call('users.create', {
    username: 'tech',
    password: 'camera-tech-2026',
    displayName: 'Tess Technician',
    role: 'technician',
  });
  await call('auth.logout', {});
}

export function callerOf(workstation: Workstation): Call {
  return async (op, args) => {
    const response = await workstation.dispatch(op, args);
    if (!response.ok)
      throw Object.assign(new Error(response.error.message), { code: response.error.code });
    return response.value as never;
  };
}

/** Imports, opens, records the model values and signs each planned visit as its reader. */
export async function signVisits(
  workstation: Workstation,
  plans: VisitPlan[],
): Promise<SignedVisit[]> {
  const call = callerOf(workstation);
  const data = workstation.data!;
  const review = new ReviewService(
    data.db,
    data.audit,
    data.reports,
    new Accounts(data.db, data.audit),
  );
  const folder = join(projectRoot, 'dicom-samples', 'fundus-exports');
  const visits: SignedVisit[] = [];
  for (const [n, plan] of plans.entries()) {
    const reader = plan.signer ?? READER;
    await call('auth.logout', {});
    await call('auth.login', reader);
    const photo = async (file: string, eye: 'OD' | 'OS') => {
      const bytes = await sharp(readFileSync(join(folder, file)))
        .resize({ width: 160 })
        .modulate({ brightness: 1 + n / 50 })
        .jpeg()
        .toBuffer();
      const imported = (await call('library.importFiles', {
        files: [
          {
            name: `${plan.patientId}-${file}`,
            bytes: new Uint8Array(bytes),
            photo: {
              patientId: plan.patientId,
              patientName: `Infant^${plan.patientId}`,
              birthDate: '20251115',
              examDate: plan.examDate,
              eye,
              domain: 'retina',
              gestationalAgeWeeks: 27,
            },
          },
        ],
      })) as { imported: { instanceId: string }[]; failed: unknown[] };
      if (!imported.imported[0]) throw new Error(`not imported: ${JSON.stringify(imported)}`);
      return imported.imported[0].instanceId;
    };
    const od = await photo('Image_01R.jpg', 'OD');
    const os = await photo('Image_01L.jpg', 'OS');
    const opened = (await call('review.open', { instanceIds: [od, os] })) as {
      content: { reportId: string };
    };
    const reportId = opened.content.reportId;
    const version = plan.version ?? '0.1.0';
    const model = { id: 'rop-site', version, sha256: version.replace(/\D/g, '').padEnd(64, '0') };
    for (const [field, ai] of Object.entries(plan.ai ?? {}))
      await review.setAi(reportId, field, { ...ai, model }, 'system');
    for (const [field, value] of Object.entries(plan.reader))
      await call('review.setField', { reportId, field, value });
    if (plan.sign !== false) await call('review.sign', { reportId, password: reader.password });
    if (plan.amend) {
      await call('review.amend', { reportId });
      for (const [field, value] of Object.entries(plan.amend))
        await call('review.setField', { reportId, field, value });
      await call('review.sign', { reportId, password: reader.password, reason: 'on review' });
    }
    visits.push({ reportId, patientId: plan.patientId, od, os });
  }
  await call('auth.logout', {});
  await call('auth.login', READER);
  return visits;
}

/** A new data folder (and an empty models folder) with the site's accounts and the visits signed. */
export async function signedRetinaSite(plans: VisitPlan[]): Promise<{
  workstation: Workstation;
  dataFolder: string;
  call: Call;
  visits: SignedVisit[];
}> {
  const dataFolder = mkdtempSync(join(tmpdir(), 'neoscope-loop-'));
  const workstation = await createWorkstation(projectRoot, 'browser', () => {}, {
    dataFolder,
    modelsFolder: mkdtempSync(join(tmpdir(), 'neoscope-loop-models-')),
  });
  const call = callerOf(workstation);
  await createSiteAccounts(call);
  const visits = await signVisits(workstation, plans);
  return { workstation, dataFolder, call, visits };
}
