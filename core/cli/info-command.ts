/**
 * `neoscope info FILE [--json]`: a file's description and every problem the importer
 * would report for it, each with its stable code.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { describeHeader, describeInstance, type InstanceDescription } from '../dicom/describe.ts';
import { checkAsImport, type ImportCheck } from '../dicom/import-checks.ts';
import { parseDicomBytes, type ParsedDicom } from '../dicom/parse.ts';
import type { DicomWarning } from '../dicom/validate.ts';
import type { CliStreams } from './commands.ts';
import { parseOptions } from './parse-options.ts';

const INFO_USAGE = 'Usage: neoscope info FILE [--json]\n';

/** An error as `info --json` prints it: a stable code, a message and the file. */
function errorBody(error: unknown, file: string): { code: string; message: string; file: string } {
  const { code, message, syscall } = error as {
    code?: unknown;
    message?: unknown;
    syscall?: unknown;
  };
  // Node's file errors (ENOENT, EACCES, EISDIR) say why the file could not be read.
  if (typeof syscall === 'string')
    return { code: 'FILE_UNREADABLE', message: `cannot read the file (${String(code)})`, file };
  if (typeof code === 'string' && /^[A-Z][A-Z0-9_]+$/.test(code))
    return { code, message: String(message), file };
  return { code: 'INFO_FAILED', message: String(message ?? error), file };
}

function infoText(description: InstanceDescription, warnings: DicomWarning[]): string {
  const image = description.image;
  return (
    [
      `file          ${description.file}`,
      `patient       ${description.patient.name} (${description.patient.id})`,
      `study         ${description.study.date} ${description.study.description}`,
      `modality      ${description.series.modality}`,
      `SOP class     ${description.sopClassUid}`,
      `transfer      ${description.transferSyntax.name} (${description.transferSyntax.uid})`,
      description.characterSet ? `charset       ${description.characterSet}` : '',
      image
        ? `image         ${image.columns}×${image.rows}×${image.frames} frame(s), ${image.samplesPerPixel} sample(s), ${image.bitsStored}/${image.bitsAllocated} bits, ${image.photometric}`
        : 'image         none (no Pixel Data)',
      description.calibration
        ? `spacing       ${description.spacing ? `${description.spacing.rowMm} × ${description.spacing.columnMm} mm; ` : ''}${description.calibration}`
        : '',
      description.domain ? `domain        ${description.domain} (${description.domainReason})` : '',
      ...warnings.map((w) => `warning       ${w.code}: ${w.message}`),
    ]
      .filter(Boolean)
      .join('\n') + '\n'
  );
}

/**
 * Describes a file and lists every problem the importer would report, with its code. A
 * file the importer would refuse still gets its description, with the refusal as `error`
 * (exit 3); a file that cannot be read at all gets only `error`. With --json every
 * outcome, errors included, is one JSON object on stdout.
 */
export async function infoCommand(args: string[], io: CliStreams): Promise<number> {
  const o = parseOptions(args, { json: { type: 'boolean', default: false } });
  if (o.problem !== undefined) return (io.err(`info: ${o.problem}\n${INFO_USAGE}`), 2);
  const [file, ...extra] = o.positionals;
  if (!file || extra.length) return (io.err(INFO_USAGE), 2);
  const { json } = o.values;
  const fail = (error: { code: string; message: string; file: string }) => {
    if (json) io.out(`${JSON.stringify({ error }, null, 2)}\n`);
    else io.err(`${file}: ${error.code}: ${error.message}\n`);
    return 3;
  };
  let parsed: ParsedDicom;
  try {
    parsed = parseDicomBytes(new Uint8Array(await readFile(file)), basename(file));
  } catch (error) {
    return fail(errorBody(error, basename(file)));
  }
  let description: InstanceDescription;
  let check: ImportCheck;
  try {
    description = describeHeader(parsed);
    check = await checkAsImport(parsed);
    if (!check.refusal) description = describeInstance(parsed);
  } catch (error) {
    return fail(errorBody(error, parsed.fileName));
  }
  const error = check.refusal && { ...check.refusal, file: parsed.fileName };
  if (json)
    io.out(
      `${JSON.stringify({ ...description, warnings: check.warnings, ...(error ? { error } : {}) }, null, 2)}\n`,
    );
  else io.out(infoText(description, check.warnings));
  if (!error) return 0;
  if (!json) io.err(`${file}: ${error.code}: ${error.message}\n`);
  return 3;
}
