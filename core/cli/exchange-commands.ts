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
import { processPasswordInput, type PasswordInput } from './user-commands.ts';

type Options = { values: Map<string, string>; flags: Set<string>; positional: string[] };

function parse(args: string[], valued: string[]): Options {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (valued.includes(a) && args[i + 1] !== undefined) values.set(a, args[++i]!);
    else if (a.startsWith('--')) flags.add(a);
    else positional.push(a);
  }
  return { values, flags, positional };
}

/** `fallback` when the option is absent, the number when it is a positive integer, else undefined. */
function positiveInteger(value: string | undefined, fallback: number): number | undefined {
  if (value === undefined) return fallback;
  const n = Number(value);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

/** The site passphrase: one line of stdin with --passphrase-stdin, else asked (twice when it is new). */
async function sitePassphrase(o: Options, input: PasswordInput, confirm: boolean): Promise<string> {
  if (o.flags.has('--passphrase-stdin')) {
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

export async function siteCommand(
  args: string[],
  io: CliStreams,
  input: PasswordInput = processPasswordInput(),
): Promise<number> {
  const [sub, ...rest] = args;
  const o = parse(rest, ['--data', '--site-id', '--public-key']);
  const data = o.values.get('--data');
  if (!data) return (io.err('site: --data DIR is required\n'), 2);
  if (sub === 'init') {
    const siteId = o.values.get('--site-id');
    if (!siteId) return (io.err('site init: --site-id ID is required\n'), 2);
    const existing = await SiteIdentity.readPublic(data).catch(() => undefined);
    const passphrase = await sitePassphrase(o, input, !existing || !existing.sealed);
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
  if (sub === 'show') {
    const identity = await SiteIdentity.readPublic(data);
    io.out(
      `site ${identity.siteId}\npublic key  ${identity.publicKey}\nfingerprint ${identity.fingerprint}\nkey         ${identity.sealed ? 'sealed under the site passphrase' : 'NOT sealed: run "neoscope site init" with the site id to seal it under a passphrase'}\n`,
    );
    for (const p of await new PartnerKeys(data).list())
      io.out(`partner ${p.siteId}  fingerprint ${p.fingerprint}\n`);
    return 0;
  }
  if (sub === 'add-partner') {
    const siteId = o.values.get('--site-id');
    const publicKey = o.values.get('--public-key');
    if (!siteId || !publicKey)
      return (io.err('site add-partner: --site-id ID and --public-key BASE64 are required\n'), 2);
    const added = await new PartnerKeys(data).add({ siteId, publicKey });
    io.out(
      `partner ${added.siteId} added; fingerprint ${added.fingerprint}\nRead this fingerprint to the partner site by phone: it must match what "neoscope site show" prints there.\n`,
    );
    return 0;
  }
  io.err('site: init | show | add-partner\n');
  return 2;
}

export async function batchCommand(
  args: string[],
  io: CliStreams,
  input: PasswordInput = processPasswordInput(),
): Promise<number> {
  const [sub, ...rest] = args;
  const o = parse(rest, [
    '--data',
    '--out',
    '--key',
    '--max-file-bytes',
    '--max-age-days',
    '--od-names',
    '--os-names',
  ]);
  const data = o.values.get('--data');
  if (!data) return (io.err('batch: --data DIR is required\n'), 2);
  if (sub === 'create') {
    const out = o.values.get('--out');
    if (!out || !o.positional.length)
      return (io.err('batch create: --out FILE.zip and at least one PATH are required\n'), 2);
    const deidentify = o.flags.has('--deidentify');
    const key = o.values.get('--key');
    if (deidentify && !key)
      return (
        io.err(
          'batch create --deidentify needs --key SECRET (kept at this site: it makes pseudonyms repeatable)\n',
        ),
        2
      );
    const maxFileBytes = positiveInteger(
      o.values.get('--max-file-bytes'),
      DEFAULT_MAX_BATCH_FILE_BYTES,
    );
    if (maxFileBytes === undefined)
      return (io.err('batch create: --max-file-bytes takes a positive whole number of bytes\n'), 2);
    await SiteIdentity.readPublic(data);
    const identity = await SiteIdentity.load(data, await sitePassphrase(o, input, false));
    if (identity.migrated)
      io.err(
        'the site key was stored unsealed (by an earlier version); it is now sealed under this passphrase\n',
      );
    const { files, skipped } = await readBatchInputs(o.positional, {
      maxFileBytes,
      eyeNamePatterns: eyeNamePatternsFrom({
        OD: o.values.get('--od-names'),
        OS: o.values.get('--os-names'),
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
  if (sub === 'import') {
    const [file] = o.positional;
    if (!file) return (io.err('batch import: a package FILE.zip is required\n'), 2);
    const maxAgeDays = positiveInteger(
      o.values.get('--max-age-days'),
      DEFAULT_MAX_PACKAGE_AGE_DAYS,
    );
    if (maxAgeDays === undefined)
      return (io.err('batch import: --max-age-days takes a positive whole number of days\n'), 2);
    const acceptOld = o.flags.has('--accept-old');
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
  io.err('batch: create | import\n');
  return 2;
}
