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
import { writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readSlots } from '../inference/slots.ts';
import { openDataFolder, type DataFolder } from '../store/data-folder.ts';
import { isDataFolder } from '../store/data-layout.ts';
import { libraryFor } from '../workstation/stored-library.ts';
import { exportTrainingSet } from '../training/training-export.ts';
import { validationPdf } from '../validation/agreement-pdf.ts';
import { validationCsv, validationLines } from '../validation/agreement-text.ts';
import { siteValidation } from '../validation/site-validation.ts';
import { bundledFolders, findProjectRoot } from '../workstation/paths.ts';
import type { CliStreams } from './commands.ts';
import { parseOptions } from './parse-options.ts';

export const VALIDATION_USAGE = `neoscope validate --data DIR [--model ID] [--since YYYY-MM-DD] [--out FILE.csv|FILE.pdf]
neoscope export-training --data DIR --slot ID --out DIR [--deidentify --key K] [--models DIR]
`;

/** The flags a command takes, and the problem with its command line if there is one. */
function parse<const O extends Parameters<typeof parseOptions>[1]>(args: string[], options: O) {
  const parsed = parseOptions(args, options);
  if (parsed.problem !== undefined) return parsed;
  const stray = parsed.positionals[0];
  return stray === undefined ? parsed : { problem: `unexpected ${JSON.stringify(stray)}` };
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
  if (!isDataFolder(folder))
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
  const o = parse(args, {
    data: { type: 'string' },
    model: { type: 'string' },
    since: { type: 'string' },
    out: { type: 'string' },
  });
  const usage = (problem: string) => (io.err(`validate: ${problem}\n${VALIDATION_USAGE}`), 2);
  if (o.problem !== undefined) return usage(o.problem);
  const { data: folder, since, out, model } = o.values;
  if (!folder) return usage('--data DIR is required');
  if (since !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(since))
    return usage(`--since takes a date, YYYY-MM-DD (got ${JSON.stringify(since)})`);
  const format = out === undefined ? undefined : extname(out).toLowerCase();
  if (format !== undefined && format !== '.csv' && format !== '.pdf')
    return usage(
      `--out writes a .csv or a .pdf file; ${JSON.stringify(out)} is neither, and nothing was written`,
    );
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
  const o = parse(args, {
    data: { type: 'string' },
    slot: { type: 'string' },
    out: { type: 'string' },
    key: { type: 'string' },
    models: { type: 'string' },
    deidentify: { type: 'boolean' },
  });
  const usage = (problem: string) => (
    io.err(`export-training: ${problem}\n${VALIDATION_USAGE}`),
    2
  );
  if (o.problem !== undefined) return usage(o.problem);
  const { data: folder, slot: slotId, out, key } = o.values;
  if (!folder || !slotId || !out) return usage('--data DIR, --slot ID and --out DIR are required');
  if (Boolean(o.values.deidentify) !== (key !== undefined))
    return usage(
      '--deidentify and --key K go together: the key makes the pseudonyms and replacement UIDs',
    );
  const modelsFolder =
    o.values.models ??
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
