/**
 * `neoscope site …` and `neoscope batch …`: a site's identity and partner keys, and signed
 * batch packages created from files and imported after full verification.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importBatch } from '../exchange/batch-import.ts';
import { createBatch } from '../exchange/batch-package.ts';
import { recordReidentification } from '../exchange/reidentification-table.ts';
import { PartnerKeys, SiteIdentity } from '../exchange/site-identity.ts';
import { enumerateInputs } from '../library/enumerate-inputs.ts';
import { libraryFor, openDataFolder } from '../store/data-folder.ts';
import { findProjectRoot, productVersion } from '../workstation/paths.ts';
import type { CliStreams } from './commands.ts';

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

export async function siteCommand(args: string[], io: CliStreams): Promise<number> {
  const [sub, ...rest] = args;
  const o = parse(rest, ['--data', '--site-id', '--public-key']);
  const data = o.values.get('--data');
  if (!data) return io.err('site: --data DIR is required\n'), 2;
  if (sub === 'init') {
    const siteId = o.values.get('--site-id');
    if (!siteId) return io.err('site init: --site-id ID is required\n'), 2;
    const identity = await SiteIdentity.init(data, siteId);
    io.out(`site ${identity.siteId}\npublic key  ${identity.publicKey}\nfingerprint ${identity.fingerprint}\n`);
    return 0;
  }
  if (sub === 'show') {
    const identity = await SiteIdentity.load(data);
    io.out(`site ${identity.siteId}\npublic key  ${identity.publicKey}\nfingerprint ${identity.fingerprint}\n`);
    for (const p of await new PartnerKeys(data).list()) io.out(`partner ${p.siteId}  fingerprint ${p.fingerprint}\n`);
    return 0;
  }
  if (sub === 'add-partner') {
    const siteId = o.values.get('--site-id');
    const publicKey = o.values.get('--public-key');
    if (!siteId || !publicKey) return io.err('site add-partner: --site-id ID and --public-key BASE64 are required\n'), 2;
    const added = await new PartnerKeys(data).add({ siteId, publicKey });
    io.out(`partner ${added.siteId} added; fingerprint ${added.fingerprint}\nRead this fingerprint to the partner site by phone: it must match what "neoscope site show" prints there.\n`);
    return 0;
  }
  io.err('site: init | show | add-partner\n');
  return 2;
}

export async function batchCommand(args: string[], io: CliStreams): Promise<number> {
  const [sub, ...rest] = args;
  const o = parse(rest, ['--data', '--out', '--key']);
  const data = o.values.get('--data');
  if (!data) return io.err('batch: --data DIR is required\n'), 2;
  if (sub === 'create') {
    const out = o.values.get('--out');
    if (!out || !o.positional.length) return io.err('batch create: --out FILE.zip and at least one PATH are required\n'), 2;
    const deidentify = o.flags.has('--deidentify');
    const key = o.values.get('--key');
    if (deidentify && !key) return io.err('batch create --deidentify needs --key SECRET (kept at this site: it makes pseudonyms repeatable)\n'), 2;
    const identity = await SiteIdentity.load(data);
    const files = [];
    for (const input of await enumerateInputs(o.positional)) files.push({ name: input.name, bytes: await input.read() });
    const version = productVersion(findProjectRoot(fileURLToPath(new URL('.', import.meta.url))));
    const { zip, manifest, reidentification } = await createBatch(files, identity, { softwareVersion: version, ...(deidentify ? { deidentify: { key: key! } } : {}) });
    await writeFile(out, zip);
    await recordReidentification(data, reidentification);
    io.out(`batch ${manifest.batchId}: ${manifest.counts.files} file(s), ${manifest.counts.bytes} bytes${deidentify ? `, de-identified (${reidentification.length} pseudonym(s) kept at this site)` : ''}, signed by ${identity.siteId} (${identity.fingerprint}) → ${out}\n`);
    return 0;
  }
  if (sub === 'import') {
    const [file] = o.positional;
    if (!file) return io.err('batch import: a package FILE.zip is required\n'), 2;
    const folder = await openDataFolder(data);
    try {
      const library = libraryFor(folder);
      const started = performance.now();
      const tty = Boolean(process.stderr.isTTY);
      const onProgress = ({ done, total, elapsedMs }: { done: number; total: number; elapsedMs: number }) => {
        const rate = done / Math.max(elapsedMs / 1000, 1e-3);
        const bar = `${'#'.repeat(Math.round((done / total) * 30))}${'.'.repeat(30 - Math.round((done / total) * 30))}`;
        const line = `[${bar}] ${done}/${total} · ${rate.toFixed(1)} images/s · ${Math.round((total - done) / Math.max(rate, 1e-3))} s left`;
        io.err(tty ? `\r${line}` : `${line}\n`);
      };
      const { manifest, report } = await importBatch(new Uint8Array(await readFile(file)), basename(file), { library, partners: new PartnerKeys(data), audit: folder.audit, actor: 'cli', onProgress });
      if (tty) io.err('\n');
      const seconds = (performance.now() - started) / 1000;
      io.out(`batch ${manifest.batchId} from ${manifest.sender.siteId} verified: ${report.imported.length} imported, ${report.duplicates.length} already here, ${report.failed.length} unreadable; ${(manifest.counts.files / Math.max(seconds, 1e-3)).toFixed(1)} images/s\n`);
      for (const f of report.failed) io.err(`${f.fileName}: ${f.code}: ${f.message}\n`);
      return report.failed.length ? 3 : 0;
    } catch (error) {
      const { code, message } = error as { code?: string; message: string };
      io.err(`batch import REFUSED: ${code ?? 'ERROR'}: ${message}\nNothing from this package was stored.\n`);
      return 5;
    } finally {
      folder.close();
    }
  }
  io.err('batch: create | import\n');
  return 2;
}
