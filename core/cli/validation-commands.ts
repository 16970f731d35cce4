/**
 * The learning loop from the command line:
 *   validate        --data DIR [--model ID] [--since YYYY-MM-DD] [--out FILE.csv|FILE.pdf]
 *   export-training --data DIR --slot ID --out DIR [--deidentify --key K] [--models DIR]
 * `validate` prints how each model version agrees with the site's signed readings (the
 * numbers of the Validation panel) and writes them as CSV or PDF; `export-training` writes
 * the signed labels of a model slot with their images for training/classifier_from_csv.
 * Both read the data folder, which the workstation must not hold open (it holds it
 * exclusively; the error names the process). The export is audited as cli:<os user>.
 * Exit codes: 0 done; 2 usage error, or the data folder cannot be opened or trusted;
 * 3 done, but some signed reports did not verify and were left out (listed on stderr).
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readSlots } from '../inference/slots.ts';
import { libraryFor, openDataFolder, type DataFolder } from '../store/data-folder.ts';
import { exportTrainingSet } from '../training/training-export.ts';
import { validationPdf } from '../validation/agreement-pdf.ts';
import { validationCsv, validationLines } from '../validation/agreement-text.ts';
import { siteValidation } from '../validation/site-validation.ts';
import { bundledFolders, findProjectRoot } from '../workstation/paths.ts';
import type { CliStreams } from './commands.ts';

export const VALIDATION_USAGE = `neoscope validate --data DIR [--model ID] [--since YYYY-MM-DD] [--out FILE.csv|FILE.pdf]
neoscope export-training --data DIR --slot ID --out DIR [--deidentify --key K] [--models DIR]
`;

function parse(args: string[], valued: string[], flags: string[]) {
  const values = new Map<string, string>();
  const set = new Set<string>();
  const problems: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (valued.includes(a)) {
      const value = args[i + 1];
      if (value === undefined || value.startsWith('--')) problems.push(`${a} needs a value`);
      else values.set(a, args[++i]!);
    } else if (flags.includes(a)) set.add(a);
    else problems.push(`unexpected ${JSON.stringify(a)}`);
  }
  return { values, flags: set, problems };
}

function describeError(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  return code ? `${code}: ${message}` : String(message ?? error);
}

async function withDataFolder(
  command: string,
  folder: string,
  io: CliStreams,
  run: (data: DataFolder) => Promise<number>,
): Promise<number> {
  if (!existsSync(join(folder, 'neoscope.sqlite')))
    return (
      io.err(`${command}: ${folder} is not a NeoScope data folder (no neoscope.sqlite)\n`),
      2
    );
  let data: DataFolder | undefined;
  try {
    data = await openDataFolder(folder);
    return await run(data);
  } catch (error) {
    io.err(`${command}: ${describeError(error)}\n`);
    return 2;
  } finally {
    data?.close();
  }
}

export async function validateCommand(args: string[], io: CliStreams): Promise<number> {
  const o = parse(args, ['--data', '--model', '--since', '--out'], []);
  const usage = (problem: string) => (io.err(`validate: ${problem}\n${VALIDATION_USAGE}`), 2);
  if (o.problems.length) return usage(o.problems.join('; '));
  const folder = o.values.get('--data');
  if (!folder) return usage('--data DIR is required');
  const since = o.values.get('--since');
  if (since !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(since))
    return usage(`--since takes a date, YYYY-MM-DD (got ${JSON.stringify(since)})`);
  const out = o.values.get('--out');
  const format = out === undefined ? undefined : extname(out).toLowerCase();
  if (format !== undefined && format !== '.csv' && format !== '.pdf')
    return usage(
      `--out writes a .csv or a .pdf file; ${JSON.stringify(out)} is neither, and nothing was written`,
    );
  const model = o.values.get('--model');
  return withDataFolder('validate', folder, io, async (data) => {
    const validation = await siteValidation(data, {
      ...(model ? { model } : {}),
      ...(since ? { since } : {}),
    });
    io.out(`${validationLines(validation).join('\n')}\n`);
    if (out && format === '.csv') await writeFile(out, validationCsv(validation));
    if (out && format === '.pdf')
      await writeFile(
        out,
        await validationPdf(
          validation,
          `NeoScope local validation, ${new Date().toISOString().slice(0, 10)}`,
        ),
      );
    if (out) io.err(`written to ${out}\n`);
    for (const u of validation.unverified)
      io.err(`not counted: ${u.reportId} v${u.version}: ${u.code}: ${u.reason}\n`);
    return validation.unverified.length ? 3 : 0;
  });
}

function osUserName(): string {
  try {
    return userInfo().username || process.env.USER || 'unknown';
  } catch {
    return process.env.USER || process.env.USERNAME || 'unknown';
  }
}

export async function exportTrainingCommand(
  args: string[],
  io: CliStreams,
  osUser = osUserName(),
): Promise<number> {
  const o = parse(args, ['--data', '--slot', '--out', '--key', '--models'], ['--deidentify']);
  const usage = (problem: string) => (
    io.err(`export-training: ${problem}\n${VALIDATION_USAGE}`),
    2
  );
  if (o.problems.length) return usage(o.problems.join('; '));
  const folder = o.values.get('--data');
  const slotId = o.values.get('--slot');
  const out = o.values.get('--out');
  const key = o.values.get('--key');
  if (!folder || !slotId || !out) return usage('--data DIR, --slot ID and --out DIR are required');
  if (o.flags.has('--deidentify') !== (key !== undefined))
    return usage(
      '--deidentify and --key K go together: the key makes the pseudonyms and replacement UIDs',
    );
  const modelsFolder =
    o.values.get('--models') ??
    bundledFolders(findProjectRoot(fileURLToPath(new URL('.', import.meta.url)))).modelsFolder;
  const slots = await readSlots(join(modelsFolder, 'slots'));
  const slot = slots.find((s) => s.id === slotId);
  if (!slot)
    return usage(
      `no slot ${JSON.stringify(slotId)}; the slots are ${slots.map((s) => s.id).join(', ')}`,
    );
  return withDataFolder('export-training', folder, io, async (data) => {
    const result = await exportTrainingSet(data, libraryFor(data), {
      slot,
      out,
      ...(key ? { deidentify: { key } } : {}),
    });
    await data.audit.append({
      actor: `cli:${osUser}`,
      action: 'export',
      subject: `training-set:${slot.id}`,
      details: {
        format: 'training-set',
        rows: result.rows,
        reports: result.reports,
        deidentified: result.deidentified,
      },
    });
    io.out(
      `${result.rows} image(s) from ${result.reports} signed report(s) written to ${out} (labels.csv, images/${result.deidentified ? ', dicom/ de-identified' : ''})\n` +
        `train: /usr/bin/python3 -m training.classifier_from_csv --slot ${join(modelsFolder, 'slots', `${slot.id}.json`)} --images ${result.images} --labels ${result.labels} --out PACKAGE --licence "..."\n`,
    );
    for (const s of result.skipped) io.err(`no row: ${s.source}: ${s.reason}\n`);
    for (const u of result.unverified)
      io.err(`not counted: ${u.reportId} v${u.version}: ${u.code}: ${u.reason}\n`);
    return result.unverified.length ? 3 : 0;
  });
}
