/**
 * Offline batch packages between sites: a zip holding the files, manifest.json (SHA-256
 * and size of every file, counts, sender, time, software version, and the sender's audit
 * checkpoint: its audit chain's length and last hash, witnessed by whoever receives the
 * package) and manifest.sig (the
 * sender's Ed25519 signature over the manifest's exact bytes). A receiving site reads the
 * zip's directory and the manifest first, checks the signature against the partner key it
 * imported, the kind, replay and age, then every file against the manifest, before
 * anything is stored; nothing else is expanded before the signature is good, and each
 * failed check has its own code and names the file.
 */
import { createHash, createHmac, randomUUID } from 'node:crypto';
import { zipSync } from 'fflate';
import type { AuditCheckpoint } from '../audit/audit-log.ts';
import { z } from 'zod';
import { deidentifyDicom, replacementUid } from '../dicom/deidentify/deidentify.ts';
import { parseDicomBytes } from '../dicom/parse.ts';
import { summarizeInstance } from '../dicom/summary.ts';
import {
  archiveLimits,
  isZip,
  readZipDirectory,
  readZipEntry,
  type ZipEntry,
} from '../library/archives.ts';
import { photoFormat } from '../library/photo-export.ts';
import {
  ExchangeError,
  verifySignature,
  type PartnerKeys,
  type SiteIdentity,
} from './site-identity.ts';
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
  /** The sending workstation's audit chain when the package was made (absent from older senders). */
  auditCheckpoint: z
    .strictObject({
      entries: z.number().int().nonnegative(),
      hash: z.string().regex(/^[0-9a-f]{64}$/),
      time: z.string(),
    })
    .optional(),
  counts: z.strictObject({
    files: z.number().int().nonnegative(),
    bytes: z.number().int().nonnegative(),
  }),
  files: z.array(
    z.strictObject({
      path: z.string().regex(/^files\/[^/]+$/),
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
      bytes: z.number().int().nonnegative(),
    }),
  ),
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
  options: {
    kind?: 'images' | 'results';
    softwareVersion: string;
    deidentify?: { key: string };
    now?: Date;
    checkpoint?: AuditCheckpoint;
  },
): Promise<{ zip: Uint8Array; manifest: BatchManifest; reidentification: Reidentification[] }> {
  const entries: Record<string, Uint8Array> = {};
  const listed: BatchManifest['files'] = [];
  const reidentification = new Map<string, Reidentification>();
  files.forEach((file, index) => {
    let bytes = file.bytes;
    if (options.deidentify) {
      if (photoFormat(bytes) || /\.csv$/i.test(file.name)) {
        throw new ExchangeError(
          'EXCHANGE_MANIFEST_INVALID',
          `${file.name}: photo exports and sidecar CSVs carry identity outside DICOM and cannot be de-identified here; send them without de-identification or as DICOM`,
          file.name,
        );
      }
      const summary = summarizeInstance(parseDicomBytes(bytes, file.name), 'batch');
      const pseudonym = pseudonymFor(
        summary.patientId || summary.patientName || 'unknown',
        options.deidentify.key,
      );
      const entry = reidentification.get(pseudonym) ?? {
        pseudonym,
        patientId: summary.patientId,
        patientName: summary.patientName,
        studies: {},
      };
      if (summary.studyInstanceUid)
        entry.studies[replacementUid(summary.studyInstanceUid, options.deidentify.key)] =
          summary.studyInstanceUid;
      reidentification.set(pseudonym, entry);
      bytes = deidentifyDicom(
        bytes,
        {
          uidKey: options.deidentify.key,
          pseudonym: { patientId: pseudonym, patientName: pseudonym },
        },
        file.name,
      );
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
    ...(options.checkpoint ? { auditCheckpoint: options.checkpoint } : {}),
    counts: { files: listed.length, bytes: listed.reduce((s, f) => s + f.bytes, 0) },
    files: listed,
  };
  const manifestBytes = new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`);
  entries['manifest.json'] = manifestBytes;
  entries['manifest.sig'] = new TextEncoder().encode(identity.sign(manifestBytes));
  // DICOM pixel data rarely compresses; store files as they are, deflate the manifest.
  const zip = zipSync(
    Object.fromEntries(
      Object.entries(entries).map(([name, data]) => [
        name,
        [data, { level: name.startsWith('files/') ? 0 : 6 }],
      ]),
    ) as never,
  );
  return { zip, manifest, reidentification: [...reidentification.values()] };
}

export interface PackageLimits {
  /** Expanded bytes of all listed files together. */
  maxTotalBytes: number;
  /** Entries in the zip, manifest and signature included. */
  maxEntries: number;
  maxManifestBytes: number;
}

/** The archive limits (NEOSCOPE_ARCHIVE_MAX_BYTES / _ENTRIES apply) and a 16 MiB manifest. */
export function packageLimits(overrides: Partial<PackageLimits> = {}): PackageLimits {
  const { maxTotalBytes, maxEntries } = archiveLimits();
  return { maxTotalBytes, maxEntries, maxManifestBytes: 16 * 1024 ** 2, ...overrides };
}

export const DEFAULT_MAX_PACKAGE_AGE_DAYS = 30;
const MAX_SIGNATURE_BYTES = 4096;
/** Clocks at two sites disagree a little; a package dated further ahead than this needs confirmation. */
const CLOCK_SKEW_MS = 24 * 3600 * 1000;

/** What the receiving side asks of a package beyond its signature and files. */
export interface PackageChecks {
  /** The kind the caller handles: an images package imported as results (or back) is refused. */
  kind?: 'images' | 'results';
  /** A description of when the batch was imported before ("on … (audit entry 12)"), or undefined; asked last. */
  alreadyImported?: (batchId: string) => Promise<string | undefined> | string | undefined;
  /** Packages created longer ago than this (default 30 days) need `acceptOld`. */
  maxAgeDays?: number;
  /** The user confirmed an old (or future-dated) package: `--accept-old`. */
  acceptOld?: boolean;
  now?: Date;
  limits?: Partial<PackageLimits>;
}

/** A package whose signature, policy and every file checked out; files are read on demand. */
export interface OpenedBatch {
  manifest: BatchManifest;
  /** The listed file at `index` (a fresh copy, its SHA-256 checked again). */
  read(index: number): BatchFile;
}

const utf8 = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/**
 * Every check a package must pass, in order, each failure with its own code naming the
 * file or check, and nothing but the central directory, manifest.json and manifest.sig
 * read until the signature, kind and age checks have passed:
 *  1. a zip whose central directory is sound and within the entry limit;
 *  2. manifest.json (bounded) valid; manifest.sig present and the sender's Ed25519
 *     signature over the manifest's exact bytes valid;
 *  3. the kind the caller expects, a creation date within the age window (unless confirmed);
 *  4. no entry the manifest does not list (dot-files, `../x`, duplicates included), every
 *     listed file present with its declared size, the total within the limit;
 *  5. each file expanded with its listed size as ceiling, size and SHA-256 checked;
 *  6. a batch id not imported before.
 */
export async function openBatch(
  zip: Uint8Array,
  packageName: string,
  partners: PartnerKeys,
  checks: PackageChecks = {},
): Promise<OpenedBatch> {
  const limits = packageLimits(checks.limits);
  if (!isZip(zip))
    throw new ExchangeError(
      'EXCHANGE_NOT_A_PACKAGE',
      `${packageName} is not a batch package (a zip archive with manifest.json)`,
      packageName,
    );
  let directory: ZipEntry[];
  try {
    directory = readZipDirectory(zip, packageName, { maxEntries: limits.maxEntries });
  } catch (error) {
    if ((error as { code?: string }).code === 'IMPORT_ARCHIVE_TOO_LARGE')
      throw new ExchangeError('EXCHANGE_TOO_LARGE', (error as Error).message, packageName);
    throw new ExchangeError(
      'EXCHANGE_NOT_A_PACKAGE',
      `${packageName} is damaged or truncated: ${(error as Error).message}`,
      packageName,
    );
  }
  const byName = new Map<string, ZipEntry>();
  for (const entry of directory) {
    if (byName.has(entry.name))
      throw new ExchangeError(
        'EXCHANGE_FILE_UNLISTED',
        `${packageName}: ${JSON.stringify(entry.name)} appears more than once in the package; the signed manifest can vouch for one copy only: refused`,
        entry.name,
      );
    byName.set(entry.name, entry);
  }
  const small = (name: string, max: number): Uint8Array | undefined => {
    const entry = byName.get(name);
    if (!entry) return undefined;
    if (entry.size > max)
      throw new ExchangeError(
        'EXCHANGE_MANIFEST_INVALID',
        `${packageName}: ${name} declares ${entry.size} bytes, over the ${max}-byte limit`,
        packageName,
      );
    try {
      return readZipEntry(zip, entry, packageName, { maxBytes: max });
    } catch (error) {
      throw new ExchangeError(
        'EXCHANGE_NOT_A_PACKAGE',
        `${packageName} is damaged or truncated: ${(error as Error).message}`,
        packageName,
      );
    }
  };

  const manifestBytes = small('manifest.json', limits.maxManifestBytes);
  if (!manifestBytes)
    throw new ExchangeError(
      'EXCHANGE_MANIFEST_INVALID',
      `${packageName} has no manifest.json`,
      packageName,
    );
  let manifest: BatchManifest;
  try {
    manifest = manifestSchema.parse(JSON.parse(utf8(manifestBytes)));
  } catch (error) {
    throw new ExchangeError(
      'EXCHANGE_MANIFEST_INVALID',
      `${packageName}: manifest.json is not a valid batch manifest (${(error as Error).message.slice(0, 300)})`,
      packageName,
    );
  }
  const signature = small('manifest.sig', MAX_SIGNATURE_BYTES);
  if (!signature)
    throw new ExchangeError(
      'EXCHANGE_UNSIGNED',
      `${packageName} is not signed (no manifest.sig): refused`,
      packageName,
    );
  const sender = await partners.find(manifest.sender.siteId);
  if (!sender)
    throw new ExchangeError(
      'EXCHANGE_UNKNOWN_SENDER',
      `${packageName} claims to come from site ${manifest.sender.siteId} (key fingerprint ${manifest.sender.fingerprint}), whose key this site has not imported`,
      packageName,
    );
  if (!verifySignature(sender.publicKey, manifestBytes, utf8(signature).trim())) {
    throw new ExchangeError(
      'EXCHANGE_BAD_SIGNATURE',
      `${packageName}: the signature does not match site ${sender.siteId}'s key (fingerprint ${sender.fingerprint}); the manifest was altered or signed by another key`,
      packageName,
    );
  }

  // The manifest is the sender's: now the receiving site's own rules.
  if (checks.kind && manifest.kind !== checks.kind) {
    throw new ExchangeError(
      'EXCHANGE_WRONG_KIND',
      `${packageName} is ${manifest.kind === 'images' ? 'an images batch' : 'a results package'} (batch ${manifest.batchId}), not ${checks.kind === 'images' ? 'an images batch' : 'a results package'}: import it with the ${manifest.kind === 'images' ? 'batch' : 'results'} import instead`,
      packageName,
    );
  }
  const created = Date.parse(manifest.createdAt);
  if (!Number.isFinite(created))
    throw new ExchangeError(
      'EXCHANGE_MANIFEST_INVALID',
      `${packageName}: createdAt ${JSON.stringify(manifest.createdAt)} is not a date`,
      packageName,
    );
  const now = (checks.now ?? new Date()).getTime();
  const maxAgeDays = checks.maxAgeDays ?? DEFAULT_MAX_PACKAGE_AGE_DAYS;
  const ageDays = (now - created) / (24 * 3600 * 1000);
  if (!checks.acceptOld && ageDays > maxAgeDays) {
    throw new ExchangeError(
      'EXCHANGE_TOO_OLD',
      `${packageName} was created ${manifest.createdAt.slice(0, 10)}, ${Math.floor(ageDays)} days ago, older than the ${maxAgeDays}-day window: confirm it is expected (CLI: --accept-old) to import it`,
      packageName,
    );
  }
  if (!checks.acceptOld && created - now > CLOCK_SKEW_MS) {
    throw new ExchangeError(
      'EXCHANGE_FROM_FUTURE',
      `${packageName} is dated ${manifest.createdAt}, ahead of this computer's clock by more than a day: check both clocks, then confirm (CLI: --accept-old) to import it`,
      packageName,
    );
  }

  const listedPaths = new Set<string>();
  for (const listed of manifest.files) {
    if (listedPaths.has(listed.path))
      throw new ExchangeError(
        'EXCHANGE_MANIFEST_INVALID',
        `${packageName}: the manifest lists ${listed.path} twice`,
        listed.path,
      );
    listedPaths.add(listed.path);
  }
  if (manifest.counts.files !== manifest.files.length)
    throw new ExchangeError(
      'EXCHANGE_MANIFEST_INVALID',
      `${packageName}: the manifest counts ${manifest.counts.files} files but lists ${manifest.files.length}`,
      packageName,
    );
  const extra = directory.find(
    (e) => !listedPaths.has(e.name) && e.name !== 'manifest.json' && e.name !== 'manifest.sig',
  );
  if (extra)
    throw new ExchangeError(
      'EXCHANGE_FILE_UNLISTED',
      `${packageName}: ${extra.name} is in the package but not in the signed manifest: refused`,
      extra.name,
    );
  let total = 0;
  const entries = manifest.files.map((listed) => {
    const entry = byName.get(listed.path);
    if (!entry)
      throw new ExchangeError(
        'EXCHANGE_FILE_MISSING',
        `${packageName}: ${listed.path} is listed in the manifest but missing from the package`,
        listed.path,
      );
    if (entry.size !== listed.bytes)
      throw new ExchangeError(
        'EXCHANGE_FILE_ALTERED',
        `${packageName}: ${listed.path} is ${entry.size} bytes in the archive, ${listed.bytes} in the signed manifest (altered or damaged in transit)`,
        listed.path,
      );
    total += listed.bytes;
    return entry;
  });
  if (total > limits.maxTotalBytes)
    throw new ExchangeError(
      'EXCHANGE_TOO_LARGE',
      `${packageName} holds ${total} bytes of files, over the ${limits.maxTotalBytes}-byte limit`,
      packageName,
    );

  const read = (index: number, copy: boolean): BatchFile => {
    const listed = manifest.files[index]!;
    let bytes: Uint8Array;
    try {
      bytes = readZipEntry(zip, entries[index]!, packageName, { maxBytes: listed.bytes, copy });
    } catch (error) {
      throw new ExchangeError(
        'EXCHANGE_FILE_ALTERED',
        `${packageName}: ${listed.path} does not match the signed manifest (${(error as Error).message})`,
        listed.path,
      );
    }
    if (bytes.length !== listed.bytes || sha256(bytes) !== listed.sha256)
      throw new ExchangeError(
        'EXCHANGE_FILE_ALTERED',
        `${packageName}: ${listed.path} does not match its SHA-256 in the signed manifest (altered or damaged in transit)`,
        listed.path,
      );
    return { name: listed.path, bytes };
  };
  // Every file checked before the caller stores anything; stored files are views, not copies.
  for (let i = 0; i < manifest.files.length; i++) read(i, false);
  // Last, so that a damaged copy of an imported batch is reported as damaged.
  const before = await checks.alreadyImported?.(manifest.batchId);
  if (before)
    throw new ExchangeError(
      'EXCHANGE_REPLAYED',
      `${packageName}: batch ${manifest.batchId} from site ${manifest.sender.siteId} was already imported ${before}; a package is imported once: refused`,
      packageName,
    );
  return { manifest, read: (index) => read(index, true) };
}

/** openBatch with every file read: for small packages (results). */
export async function verifyBatch(
  zip: Uint8Array,
  packageName: string,
  partners: PartnerKeys,
  checks: PackageChecks = {},
): Promise<{ manifest: BatchManifest; files: BatchFile[] }> {
  const opened = await openBatch(zip, packageName, partners, checks);
  return { manifest: opened.manifest, files: opened.manifest.files.map((_, i) => opened.read(i)) };
}
