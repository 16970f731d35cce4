/**
 * Offline batch packages between sites: a zip holding the files, manifest.json (SHA-256
 * and size of every file, counts, sender, time, software version) and manifest.sig (the
 * sender's Ed25519 signature over the manifest's exact bytes). A receiving site checks the
 * signature against the partner key it imported, then every file against the manifest,
 * before anything is stored; each failed check has its own code and names the file.
 */
import { createHash, createHmac, randomUUID } from 'node:crypto';
import { zipSync } from 'fflate';
import { z } from 'zod';
import { deidentifyDicom, replacementUid } from '../dicom/deidentify/deidentify.ts';
import { parseDicomBytes } from '../dicom/parse.ts';
import { summarizeInstance } from '../dicom/summary.ts';
import { expandZip, isZip } from '../library/archives.ts';
import { photoFormat } from '../library/photo-export.ts';
import { ExchangeError, verifySignature, type PartnerKeys, type SiteIdentity } from './site-identity.ts';
import { safeFileName } from '../security/safe-file-name.ts';

export const BATCH_SCHEMA = 'neoscope.batch/1';

const manifestSchema = z.strictObject({
  schema: z.literal(BATCH_SCHEMA),
  batchId: z.string().uuid(),
  kind: z.enum(['images', 'results']),
  sender: z.strictObject({ siteId: z.string(), fingerprint: z.string() }),
  createdAt: z.string(),
  software: z.strictObject({ product: z.literal('NeoScope'), version: z.string() }),
  deidentified: z.boolean(),
  counts: z.strictObject({ files: z.number().int().nonnegative(), bytes: z.number().int().nonnegative() }),
  files: z.array(z.strictObject({ path: z.string().regex(/^files\/[^/]+$/), sha256: z.string().regex(/^[0-9a-f]{64}$/), bytes: z.number().int().nonnegative() })),
});
export type BatchManifest = z.infer<typeof manifestSchema>;

export interface BatchFile {
  name: string;
  bytes: Uint8Array;
}

/** Pseudonym ↔ identity pairs; they stay at the sending site. */
export interface Reidentification {
  pseudonym: string;
  patientId: string;
  patientName: string;
  /** Replacement Study Instance UID → the original, to put results back on the right study. */
  studies: Record<string, string>;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

export function pseudonymFor(patientId: string, key: string): string {
  return `PSN-${createHmac('sha256', key).update(patientId).digest('hex').slice(0, 12).toUpperCase()}`;
}

export async function createBatch(
  files: BatchFile[],
  identity: SiteIdentity,
  options: { kind?: 'images' | 'results'; softwareVersion: string; deidentify?: { key: string }; now?: Date },
): Promise<{ zip: Uint8Array; manifest: BatchManifest; reidentification: Reidentification[] }> {
  const entries: Record<string, Uint8Array> = {};
  const listed: BatchManifest['files'] = [];
  const reidentification = new Map<string, Reidentification>();
  files.forEach((file, index) => {
    let bytes = file.bytes;
    if (options.deidentify) {
      if (photoFormat(bytes) || /\.csv$/i.test(file.name)) {
        throw new ExchangeError('EXCHANGE_MANIFEST_INVALID', `${file.name}: photo exports and sidecar CSVs carry identity outside DICOM and cannot be de-identified here; send them without de-identification or as DICOM`, file.name);
      }
      const summary = summarizeInstance(parseDicomBytes(bytes, file.name), 'batch');
      const pseudonym = pseudonymFor(summary.patientId || summary.patientName || 'unknown', options.deidentify.key);
      const entry = reidentification.get(pseudonym) ?? { pseudonym, patientId: summary.patientId, patientName: summary.patientName, studies: {} };
      if (summary.studyInstanceUid) entry.studies[replacementUid(summary.studyInstanceUid, options.deidentify.key)] = summary.studyInstanceUid;
      reidentification.set(pseudonym, entry);
      bytes = deidentifyDicom(bytes, { uidKey: options.deidentify.key, pseudonym: { patientId: pseudonym, patientName: pseudonym } }, file.name);
    }
    const base = safeFileName(file.name, 'file');
    const path = `files/${String(index + 1).padStart(5, '0')}-${base}`;
    entries[path] = bytes;
    listed.push({ path, sha256: sha256(bytes), bytes: bytes.length });
  });
  const manifest: BatchManifest = {
    schema: BATCH_SCHEMA,
    batchId: randomUUID(),
    kind: options.kind ?? 'images',
    sender: { siteId: identity.siteId, fingerprint: identity.fingerprint },
    createdAt: (options.now ?? new Date()).toISOString(),
    software: { product: 'NeoScope', version: options.softwareVersion },
    deidentified: Boolean(options.deidentify),
    counts: { files: listed.length, bytes: listed.reduce((s, f) => s + f.bytes, 0) },
    files: listed,
  };
  const manifestBytes = new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`);
  entries['manifest.json'] = manifestBytes;
  entries['manifest.sig'] = new TextEncoder().encode(identity.sign(manifestBytes));
  // DICOM pixel data rarely compresses; store files as they are, deflate the manifest.
  const zip = zipSync(Object.fromEntries(Object.entries(entries).map(([name, data]) => [name, [data, { level: name.startsWith('files/') ? 0 : 6 }]])) as never);
  return { zip, manifest, reidentification: [...reidentification.values()] };
}

/**
 * Every check a package must pass, in order; throws at the first failure with its own
 * code, naming the file or check. Returns the verified files for import.
 */
export async function verifyBatch(zip: Uint8Array, packageName: string, partners: PartnerKeys): Promise<{ manifest: BatchManifest; files: BatchFile[] }> {
  if (!isZip(zip)) throw new ExchangeError('EXCHANGE_NOT_A_PACKAGE', `${packageName} is not a batch package (a zip archive with manifest.json)`, packageName);
  let entries: BatchFile[];
  try {
    entries = expandZip(zip, packageName).map((e) => ({ name: e.name.slice(packageName.length + 1), bytes: e.bytes }));
  } catch (error) {
    throw new ExchangeError('EXCHANGE_NOT_A_PACKAGE', `${packageName} is damaged or truncated: ${(error as Error).message}`, packageName);
  }
  const byName = new Map(entries.map((e) => [e.name, e.bytes]));
  const manifestBytes = byName.get('manifest.json');
  if (!manifestBytes) throw new ExchangeError('EXCHANGE_MANIFEST_INVALID', `${packageName} has no manifest.json`, packageName);
  let manifest: BatchManifest;
  try {
    manifest = manifestSchema.parse(JSON.parse(new TextDecoder().decode(manifestBytes)));
  } catch (error) {
    throw new ExchangeError('EXCHANGE_MANIFEST_INVALID', `${packageName}: manifest.json is not a valid batch manifest (${(error as Error).message.slice(0, 300)})`, packageName);
  }
  const signature = byName.get('manifest.sig');
  if (!signature) throw new ExchangeError('EXCHANGE_UNSIGNED', `${packageName} is not signed (no manifest.sig): refused`, packageName);
  const sender = await partners.find(manifest.sender.siteId);
  if (!sender) throw new ExchangeError('EXCHANGE_UNKNOWN_SENDER', `${packageName} claims to come from site ${manifest.sender.siteId} (key fingerprint ${manifest.sender.fingerprint}), whose key this site has not imported`, packageName);
  if (!verifySignature(sender.publicKey, manifestBytes, new TextDecoder().decode(signature).trim())) {
    throw new ExchangeError('EXCHANGE_BAD_SIGNATURE', `${packageName}: the signature does not match site ${sender.siteId}'s key (fingerprint ${sender.fingerprint}); the manifest was altered or signed by another key`, packageName);
  }
  const files: BatchFile[] = [];
  for (const listed of manifest.files) {
    const bytes = byName.get(listed.path);
    if (!bytes) throw new ExchangeError('EXCHANGE_FILE_MISSING', `${packageName}: ${listed.path} is listed in the manifest but missing from the package`, listed.path);
    if (bytes.length !== listed.bytes || sha256(bytes) !== listed.sha256) throw new ExchangeError('EXCHANGE_FILE_ALTERED', `${packageName}: ${listed.path} does not match its SHA-256 in the signed manifest (altered or damaged in transit)`, listed.path);
    files.push({ name: listed.path, bytes });
  }
  const listedPaths = new Set(manifest.files.map((f) => f.path));
  const extra = entries.find((e) => !listedPaths.has(e.name) && e.name !== 'manifest.json' && e.name !== 'manifest.sig');
  if (extra) throw new ExchangeError('EXCHANGE_FILE_UNLISTED', `${packageName}: ${extra.name} is in the package but not in the signed manifest: refused`, extra.name);
  if (manifest.counts.files !== files.length) throw new ExchangeError('EXCHANGE_MANIFEST_INVALID', `${packageName}: the manifest counts ${manifest.counts.files} files but lists ${files.length}`, packageName);
  return { manifest, files };
}
