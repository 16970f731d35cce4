/**
 * `neoscope site …` and `neoscope batch …`: a site's identity and partner keys, and signed
 * batch packages created from files (a file too large or unreadable is reported and
 * skipped; exit 3) and imported after full verification (an old package needs
 * --accept-old).
 *
 * The site key is sealed under an admin passphrase: `site init` sets it (asked twice on a
 * terminal, or one line from stdin with --passphrase-stdin) and `batch create` asks for it
 * to sign. Given to `site init` or `batch create` on a key an earlier version stored
 * unsealed, it seals that key. Both record what they did in the audit log (the workstation
 * must be closed: it holds the data folder); a package carries the audit checkpoint.
 *
 * Flags are read with `node:util` parseArgs, one table per subcommand: a flag it does not
 * declare, a flag without its value or a stray word is a usage error (exit 2) that names it.
 */
import { readFile, stat, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importBatch } from '../exchange/batch-import.ts';
import { DEFAULT_MAX_BATCH_FILE_BYTES, readBatchInputs } from '../exchange/batch-inputs.ts';
import {
  createBatch,
  DEFAULT_MAX_PACKAGE_AGE_DAYS,
  packageLimits,
} from '../exchange/batch-package.ts';
import { recordReidentification } from '../exchange/reidentification-table.ts';
import { ExchangeError, PartnerKeys, SiteIdentity } from '../exchange/site-identity.ts';
import { openDataFolder } from '../store/data-folder.ts';
import { libraryFor } from '../workstation/stored-library.ts';
import { eyeNamePatternsFrom } from '../vocabulary/eye-names.ts';
import { findProjectRoot, productVersion } from '../workstation/paths.ts';
import type { CliStreams } from './commands.ts';
import { parseOptions } from './parse-options.ts';
import { processPasswordInput, type PasswordInput } from './user-commands.ts';

export const SITE_USAGE = `neoscope site init --data DIR --site-id ID [--passphrase-stdin]
neoscope site show --data DIR
neoscope site add-partner --data DIR --site-id ID --public-key BASE64
`;

export const BATCH_USAGE = `neoscope batch create --data DIR --out FILE.zip [--deidentify --key SECRET]
    [--max-file-bytes N] [--passphrase-stdin] [--od-names LIST] [--os-names LIST] PATH...
neoscope batch import --data DIR FILE.zip [--accept-old] [--max-age-days N]
`;

type Flags = Parameters<typeof parseOptions>[1];
type Run = (args: string[], io: CliStreams, input: PasswordInput) => Promise<number>;

/**
 * A subcommand's flags, each subcommand with its own table: a flag that belongs to another
 * subcommand (`batch import --deidentify`) is refused, not silently ignored. `positionals`
 * is how many words besides the flags it takes (`batch create` takes any number of paths).
 */
function readFlags<const O extends Flags>(
  command: string,
  usage: string,
  args: string[],
  options: O,
  positionals: number,
) {
  const parsed = parseOptions(args, options);
  if (parsed.problem !== undefined) return { problem: `${command}: ${parsed.problem}\n${usage}` };
  const stray = parsed.positionals[positionals];
  if (stray !== undefined)
    return { problem: `${command}: unexpected ${JSON.stringify(stray)}\n${usage}` };
  return parsed;
}

/** Runs the subcommand named first in `args`, or says which there are (exit 2). */
function dispatch(
  command: string,
  usage: string,
  subcommands: Record<string, Run>,
): (args: string[], io: CliStreams, input?: PasswordInput) => Promise<number> {
  return async (args, io, input = processPasswordInput()) => {
    const [sub, ...rest] = args;
    if (sub === undefined || !Object.hasOwn(subcommands, sub))
      return (io.err(`${command}: ${Object.keys(subcommands).join(' | ')}\n${usage}`), 2);
    return subcommands[sub]!(rest, io, input);
  };
}

/** `fallback` when the option is absent, the number when it is a positive integer, else undefined. */
function positiveInteger(value: string | undefined, fallback: number): number | undefined {
  if (value === undefined) return fallback;
  const n = Number(value);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

/** The site passphrase: one line of stdin with --passphrase-stdin, else asked (twice when it is new). */
async function sitePassphrase(
  fromStdin: boolean,
  input: PasswordInput,
  confirm: boolean,
): Promise<string> {
  if (fromStdin) {
    const line = await input.readLine();
    if (!line)
      throw Object.assign(new Error('--passphrase-stdin: stdin held no passphrase line'), {
        code: 'CLI_USAGE',
      });
    return line;
  }
  if (!input.prompt)
    throw Object.assign(
      new Error(
        'no terminal to ask for the site passphrase on: pass it on stdin with --passphrase-stdin',
      ),
      { code: 'CLI_USAGE' },
    );
  const first = await input.prompt('Site passphrase: ');
  if (confirm && (await input.prompt('Again: ')) !== first)
    throw Object.assign(new Error('the two passphrases differ; nothing was changed'), {
      code: 'CLI_USAGE',
    });
  return first;
}

async function siteInit(args: string[], io: CliStreams, input: PasswordInput): Promise<number> {
  const o = readFlags(
    'site init',
    SITE_USAGE,
    args,
    {
      data: { type: 'string' },
      'site-id': { type: 'string' },
      'passphrase-stdin': { type: 'boolean', default: false },
    },
    0,
  );
  if (o.problem !== undefined) return (io.err(o.problem), 2);
  const { data, 'site-id': siteId } = o.values;
  if (!data) return (io.err('site: --data DIR is required\n'), 2);
  if (!siteId) return (io.err('site init: --site-id ID is required\n'), 2);
  const existing = await SiteIdentity.readPublic(data).catch(() => undefined);
  const passphrase = await sitePassphrase(
    o.values['passphrase-stdin'],
    input,
    !existing || !existing.sealed,
  );
  const identity = await SiteIdentity.init(data, siteId, passphrase);
  const folder = await openDataFolder(data);
  try {
    await folder.audit.append({
      actor: `cli:${input.osUser}`,
      action: 'edit',
      subject: `site:${identity.siteId}`,
      details: {
        siteKey: !existing
          ? 'created'
          : identity.migrated
            ? 'sealed under a passphrase'
            : 'unlocked',
        fingerprint: identity.fingerprint,
      },
    });
  } finally {
    folder.close();
  }
  if (identity.migrated)
    io.err(
      'the site key was stored unsealed (by an earlier version); it is now sealed under this passphrase\n',
    );
  io.out(
    `site ${identity.siteId}\npublic key  ${identity.publicKey}\nfingerprint ${identity.fingerprint}\n`,
  );
  return 0;
}

async function siteShow(args: string[], io: CliStreams): Promise<number> {
  const o = readFlags('site show', SITE_USAGE, args, { data: { type: 'string' } }, 0);
  if (o.problem !== undefined) return (io.err(o.problem), 2);
  const { data } = o.values;
  if (!data) return (io.err('site: --data DIR is required\n'), 2);
  const identity = await SiteIdentity.readPublic(data);
  io.out(
    `site ${identity.siteId}\npublic key  ${identity.publicKey}\nfingerprint ${identity.fingerprint}\nkey         ${identity.sealed ? 'sealed under the site passphrase' : 'NOT sealed: run "neoscope site init" with the site id to seal it under a passphrase'}\n`,
  );
  for (const p of await new PartnerKeys(data).list())
    io.out(`partner ${p.siteId}  fingerprint ${p.fingerprint}\n`);
  return 0;
}

async function siteAddPartner(args: string[], io: CliStreams): Promise<number> {
  const o = readFlags(
    'site add-partner',
    SITE_USAGE,
    args,
    { data: { type: 'string' }, 'site-id': { type: 'string' }, 'public-key': { type: 'string' } },
    0,
  );
  if (o.problem !== undefined) return (io.err(o.problem), 2);
  const { data, 'site-id': siteId, 'public-key': publicKey } = o.values;
  if (!data) return (io.err('site: --data DIR is required\n'), 2);
  if (!siteId || !publicKey)
    return (io.err('site add-partner: --site-id ID and --public-key BASE64 are required\n'), 2);
  const added = await new PartnerKeys(data).add({ siteId, publicKey });
  io.out(
    `partner ${added.siteId} added; fingerprint ${added.fingerprint}\nRead this fingerprint to the partner site by phone: it must match what "neoscope site show" prints there.\n`,
  );
  return 0;
}

/** `neoscope site init | show | add-partner`. */
export const siteCommand = dispatch('site', SITE_USAGE, {
  init: siteInit,
  show: siteShow,
  'add-partner': siteAddPartner,
});

async function batchCreate(args: string[], io: CliStreams, input: PasswordInput): Promise<number> {
  const o = readFlags(
    'batch create',
    BATCH_USAGE,
    args,
    {
      data: { type: 'string' },
      out: { type: 'string' },
      deidentify: { type: 'boolean', default: false },
      key: { type: 'string' },
      'max-file-bytes': { type: 'string' },
      'passphrase-stdin': { type: 'boolean', default: false },
      'od-names': { type: 'string' },
      'os-names': { type: 'string' },
    },
    Infinity,
  );
  if (o.problem !== undefined) return (io.err(o.problem), 2);
  const { data, out, deidentify, key } = o.values;
  if (!data) return (io.err('batch: --data DIR is required\n'), 2);
  if (!out || !o.positionals.length)
    return (io.err('batch create: --out FILE.zip and at least one PATH are required\n'), 2);
  if (deidentify && !key)
    return (
      io.err(
        'batch create --deidentify needs --key SECRET (kept at this site: it makes pseudonyms repeatable)\n',
      ),
      2
    );
  const maxFileBytes = positiveInteger(o.values['max-file-bytes'], DEFAULT_MAX_BATCH_FILE_BYTES);
  if (maxFileBytes === undefined)
    return (io.err('batch create: --max-file-bytes takes a positive whole number of bytes\n'), 2);
  await SiteIdentity.readPublic(data);
  const identity = await SiteIdentity.load(
    data,
    await sitePassphrase(o.values['passphrase-stdin'], input, false),
  );
  if (identity.migrated)
    io.err(
      'the site key was stored unsealed (by an earlier version); it is now sealed under this passphrase\n',
    );
  const { files, skipped } = await readBatchInputs(o.positionals, {
    maxFileBytes,
    eyeNamePatterns: eyeNamePatternsFrom({
      OD: o.values['od-names'],
      OS: o.values['os-names'],
    }),
  });
  for (const s of skipped) io.err(`skipped ${s.name}: ${s.reason}\n`);
  if (!files.length)
    return (
      io.err(
        `batch create: no file could be packed (${skipped.length} skipped); no package written\n`,
      ),
      3
    );
  const version = productVersion(findProjectRoot(fileURLToPath(new URL('.', import.meta.url))));
  const folder = await openDataFolder(data);
  let manifest: Awaited<ReturnType<typeof createBatch>>['manifest'];
  let reidentification: Awaited<ReturnType<typeof createBatch>>['reidentification'];
  try {
    const checkpoint = await folder.audit.checkpoint();
    const created = await createBatch(files, identity, {
      softwareVersion: version,
      checkpoint,
      ...(deidentify ? { deidentify: { key: key! } } : {}),
    });
    ({ manifest, reidentification } = created);
    await writeFile(out, created.zip);
    await recordReidentification(data, reidentification);
    await folder.audit.appendEmitted(
      {
        actor: `cli:${input.osUser}`,
        action: 'export',
        subject: `batch:${manifest.batchId}`,
        details: { files: manifest.counts.files, deidentified: manifest.deidentified },
      },
      checkpoint,
    );
  } finally {
    folder.close();
  }
  io.out(
    `batch ${manifest.batchId}: ${manifest.counts.files} file(s), ${manifest.counts.bytes} bytes${deidentify ? `, de-identified (${reidentification.length} pseudonym(s) kept at this site)` : ''}, signed by ${identity.siteId} (${identity.fingerprint}) → ${out}\n`,
  );
  if (skipped.length)
    io.err(`${skipped.length} file(s) skipped (listed above); the package holds the rest\n`);
  return skipped.length ? 3 : 0;
}

async function batchImport(args: string[], io: CliStreams): Promise<number> {
  const o = readFlags(
    'batch import',
    BATCH_USAGE,
    args,
    {
      data: { type: 'string' },
      'accept-old': { type: 'boolean', default: false },
      'max-age-days': { type: 'string' },
    },
    1,
  );
  if (o.problem !== undefined) return (io.err(o.problem), 2);
  const { data } = o.values;
  if (!data) return (io.err('batch: --data DIR is required\n'), 2);
  const [file] = o.positionals;
  if (!file) return (io.err('batch import: a package FILE.zip is required\n'), 2);
  const maxAgeDays = positiveInteger(o.values['max-age-days'], DEFAULT_MAX_PACKAGE_AGE_DAYS);
  if (maxAgeDays === undefined)
    return (io.err('batch import: --max-age-days takes a positive whole number of days\n'), 2);
  const acceptOld = o.values['accept-old'];
  const folder = await openDataFolder(data);
  try {
    const library = libraryFor(folder);
    const started = performance.now();
    const tty = Boolean(process.stderr.isTTY);
    const onProgress = ({
      done,
      total,
      elapsedMs,
    }: {
      done: number;
      total: number;
      elapsedMs: number;
    }) => {
      const rate = done / Math.max(elapsedMs / 1000, 1e-3);
      const bar = `${'#'.repeat(Math.round((done / total) * 30))}${'.'.repeat(30 - Math.round((done / total) * 30))}`;
      const line = `[${bar}] ${done}/${total} · ${rate.toFixed(1)} images/s · ${Math.round((total - done) / Math.max(rate, 1e-3))} s left`;
      io.err(tty ? `\r${line}` : `${line}\n`);
    };
    const { size } = await stat(file);
    const { maxTotalBytes } = packageLimits();
    // Files are stored uncompressed in a package: one larger than the limit cannot pass.
    if (size > maxTotalBytes + 64 * 1024 ** 2)
      throw new ExchangeError(
        'EXCHANGE_TOO_LARGE',
        `${basename(file)} is ${size} bytes, over the ${maxTotalBytes}-byte package limit`,
        file,
      );
    const { manifest, report } = await importBatch(
      new Uint8Array(await readFile(file)),
      basename(file),
      {
        library,
        partners: new PartnerKeys(data),
        audit: folder.audit,
        actor: 'cli',
        onProgress,
        acceptOld,
        maxAgeDays,
      },
    );
    if (tty) io.err('\n');
    const seconds = (performance.now() - started) / 1000;
    io.out(
      `batch ${manifest.batchId} from ${manifest.sender.siteId} verified: ${report.imported.length} imported, ${report.duplicates.length} already here, ${report.failed.length} unreadable; ${(manifest.counts.files / Math.max(seconds, 1e-3)).toFixed(1)} images/s\n`,
    );
    for (const f of report.failed) io.err(`${f.fileName}: ${f.code}: ${f.message}\n`);
    return report.failed.length ? 3 : 0;
  } catch (error) {
    const { code, message } = error as { code?: string; message: string };
    io.err(
      `batch import REFUSED: ${code ?? 'ERROR'}: ${message}\nNothing from this package was stored.\n`,
    );
    if (code === 'EXCHANGE_TOO_OLD' || code === 'EXCHANGE_FROM_FUTURE')
      io.err(
        'If this package is expected, run again with --accept-old (or widen the window with --max-age-days N).\n',
      );
    return 5;
  } finally {
    folder.close();
  }
}

/** `neoscope batch create | import`. */
export const batchCommand = dispatch('batch', BATCH_USAGE, {
  create: batchCreate,
  import: batchImport,
});
