/** API operations for offline exchange between sites (spread into the contract). */
import { z } from 'zod';
import { importReportSchema } from './schemas.ts';

const site = z.object({ siteId: z.string(), publicKey: z.string(), fingerprint: z.string() });
/** A calendar date as an HTML date input gives it (YYYY-MM-DD). */
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date is YYYY-MM-DD');

export const exchangeOperations = {
  'exchange.status': {
    access: 'signed-in',
    summary:
      "This site's identity (if set up), whether its key is unlocked in this workstation, and its partner sites with their key fingerprints.",
    args: z.strictObject({}),
    result: z.object({
      site: site.optional(),
      siteKey: z.enum(['locked', 'unlocked']).optional(),
      partners: z.array(site),
    }),
  },
  'exchange.initSite': {
    access: 'admin',
    summary:
      "Create this installation's site id and Ed25519 key pair sealed under the admin's site passphrase (admin, once), or unlock the existing key with it: it stays unlocked until the workstation closes (an unsealed key from an earlier version is sealed under this passphrase).",
    args: z.strictObject({
      siteId: z.string().min(2).max(64),
      passphrase: z.string().min(1).max(1024),
    }),
    result: site,
  },
  'exchange.addPartner': {
    access: 'admin',
    summary:
      "Trust a partner site's public key (admin); check the returned fingerprint with the partner by phone.",
    args: z.strictObject({
      siteId: z.string().min(2).max(64),
      publicKey: z.string().min(40).max(64),
    }),
    result: site,
  },
  'exchange.createBatch': {
    access: 'signed-in',
    summary:
      "Pack a day's work into a signed batch package, optionally de-identified with a keyed pseudonym: the given images (e.g. the exams picked in the Exchange panel) and every image of this site whose study date lies in the given range (both ends included; images received from partners are not sent on).",
    args: z
      .strictObject({
        instanceIds: z
          .array(z.string().regex(/^[0-9a-f]{64}$/))
          .max(5000)
          .optional(),
        studyDates: z
          .strictObject({ from: isoDate.optional(), to: isoDate.optional() })
          .refine((r) => !r.from || !r.to || r.from <= r.to, 'from is after to')
          .optional(),
        deidentifyKey: z.string().min(8).max(256).optional(),
      })
      .refine(
        (a) => Boolean(a.instanceIds?.length || a.studyDates),
        'name the images (instanceIds) or a date range (studyDates) to send',
      ),
    result: z.object({
      fileName: z.string(),
      bytes: z.instanceof(Uint8Array),
      files: z.number(),
      /** Distinct patients in the package (before pseudonyms). */
      patients: z.number(),
      pseudonyms: z.number(),
    }),
  },
  'exchange.importBatch': {
    access: 'signed-in',
    summary:
      'Verify a batch package (signature, every file; refused when replayed, of the wrong kind, or older than 30 days unless acceptOld) and only then import it, tagged with the sending site.',
    args: z.strictObject({
      name: z.string().min(1).max(1024),
      bytes: z.instanceof(Uint8Array),
      acceptOld: z.boolean().optional(),
    }),
    result: z.object({ batchId: z.string(), from: z.string(), report: importReportSchema }),
  },
  'exchange.exportResults': {
    access: 'signed-in',
    summary:
      "Pack the latest signed version of each of a patient's reports (SR and PDF) into a signed results package for the site the images came from.",
    args: z.strictObject({ patientId: z.string().min(1).max(64) }),
    result: z.object({
      fileName: z.string(),
      bytes: z.instanceof(Uint8Array),
      reports: z.number(),
    }),
  },
  'exchange.importResults': {
    access: 'signed-in',
    summary:
      'Verify a results package from a partner and file each result under the local patient its pseudonym stands for.',
    args: z.strictObject({
      name: z.string().min(1).max(1024),
      bytes: z.instanceof(Uint8Array),
      acceptOld: z.boolean().optional(),
    }),
    result: z.object({
      from: z.string(),
      attached: z.array(
        z.object({
          reportId: z.string(),
          version: z.number(),
          patientId: z.string(),
          studyInstanceUid: z.string(),
          contentHash: z.string(),
        }),
      ),
    }),
  },
  'exchange.receivedResults': {
    access: 'signed-in',
    summary:
      'Signed results received from partner sites for a local patient, with the re-identified SR and the PDF.',
    args: z.strictObject({ patientId: z.string().min(1).max(64) }),
    result: z.object({
      results: z.array(
        z.object({
          reportId: z.string(),
          version: z.number(),
          fromSite: z.string(),
          contentHash: z.string(),
          pdf: z.instanceof(Uint8Array).optional(),
        }),
      ),
    }),
  },
} as const;
