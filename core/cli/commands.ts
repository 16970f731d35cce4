/**
 * `neoscope` commands. Each returns an exit code and writes only to the streams it is
 * given, so tests run them in-process.
 *   0  success       2  usage error       3  some inputs failed (listed on stderr)
 */
import { readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { readImagePixelModule } from '../dicom/image-pixel-module.ts';
import { parseDicomBytes } from '../dicom/parse.ts';
import { decodeStoredPixels } from '../dicom/stored-pixels.ts';
import { deidentifyDicom } from '../dicom/deidentify/deidentify.ts';
import type { SaliencyChoice } from '../inference/analyze-image.ts';
import { bundledFolders, findProjectRoot } from '../workstation/paths.ts';
import { fileURLToPath } from 'node:url';
import { runAnalyze } from './analyze.ts';
import { isEnginePreference } from '../inference/engine-choice.ts';
import { infoCommand } from './info-command.ts';
import { verifyDataFolder } from '../store/verify-data-folder.ts';
import { batchCommand, siteCommand } from './exchange-commands.ts';
import { eyeNamePatternsFrom } from '../vocabulary/eye-names.ts';
import { isSha256Hex } from '../vocabulary/ids.ts';
import { parseOptions } from './parse-options.ts';
import { processPasswordInput, userCommand, type PasswordInput } from './user-commands.ts';
import { exportTrainingCommand, validateCommand } from './validation-commands.ts';

export interface CliStreams {
  out: (text: string) => void;
  err: (text: string) => void;
}

export const USAGE = `Usage:
  neoscope info FILE [--json]                 describe a DICOM file and list the problems the
                                              importer finds, each with its code (exit 3 when
                                              it would refuse the file; with --json errors
                                              are JSON on stdout too)
  neoscope pixels FILE [--frame N] --out RAW  write a frame's stored pixel values
                                              (little endian, samples interleaved, no LUT)
  neoscope analyze PATH... --out DIR [--model ID]... [--engine auto|native|wasm]
                  [--models DIR] [--saliency auto|cam|occlusion|rise|none]
                  [--photo-domain retina|chest] [--od-names LIST] [--os-names LIST]
                                              run the installed models on files, folders,
                                              zip archives or DICOM media (DICOMDIR);
                                              a JPEG/PNG/TIFF takes its eye from a sidecar
                                              CSV, EXIF or its name (tokens, e.g. "_OD_,
                                              R.jpg") and its domain from the sidecar or
                                              its pixels unless --photo-domain says; a
                                              --model for another domain is refused
  neoscope audit verify --data DIR [--checkpoint N:HASH]...
                                              check the audit log's hash chain, every signed
                                              report (hash, signature, sign-off), the chain
                                              against known checkpoints (and those given,
                                              e.g. from a PDF footer), and the database
                                              against the log (exit 4 names the first problem)
  neoscope site init --data DIR --site-id ID [--passphrase-stdin] | show --data DIR
       | add-partner --data DIR --site-id ID --public-key BASE64
                                              this site's Ed25519 identity (its key sealed
                                              under an admin passphrase) and partner keys
  neoscope batch create --data DIR --out FILE.zip [--deidentify --key SECRET]
                  [--max-file-bytes N] [--passphrase-stdin]
                  [--od-names LIST] [--os-names LIST] PATH...
                                              files too large or unreadable are named and
                                              skipped (exit 3); the rest is packed and
                                              signed (the site passphrase unlocks the key);
                                              photo exports travel as DICOM with patient,
                                              eye and date from their sidecar CSV
  neoscope batch import --data DIR FILE.zip [--accept-old] [--max-age-days N]
                                              signed offline batches (import verifies the
                                              signature and every file first; a replayed or
                                              older than 30 days package is refused; exit 5)
  neoscope user add --data DIR --username U --name "Full Name" --role ROLE [--password-stdin]
       | list --data DIR [--json] | disable|enable --data DIR --username U
       | reset-password --data DIR --username U [--password-stdin]
                                              local accounts (ROLE: technician, ophthalmologist,
                                              radiologist, admin); the password is read from
                                              stdin or asked for on the terminal; audited as
                                              cli:<os user>; exit 3 = refused by account rules
  neoscope validate --data DIR [--model ID] [--since YYYY-MM-DD] [--out FILE.csv|FILE.pdf]
                                              how each model version agrees with the signed
                                              readings: kappa, sensitivity/specificity, AUC,
                                              Bland-Altman, months with drift flags, and the
                                              cases behind each number (exit 3: some signed
                                              reports did not verify and were left out)
  neoscope export-training --data DIR --slot ID --out DIR [--deidentify --key K]
                                              the signed labels of a model slot with their
                                              images, for training.classifier_from_csv (one
                                              row per image, patients kept together)
  neoscope deidentify IN OUT --key SECRET [--retain-dates]
                                              de-identify by the PS3.15 Basic Profile
                                              (same SECRET → same replacement UIDs)
`;

function describeError(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  return code ? `${code}: ${message}` : String(message ?? error);
}

export async function pixelsCommand(args: string[], io: CliStreams): Promise<number> {
  const o = parseOptions(args, {
    out: { type: 'string' },
    frame: { type: 'string', default: '0' },
  });
  if (o.problem !== undefined) return (io.err(`pixels: ${o.problem}\n${USAGE}`), 2);
  const { out, frame: frameText } = o.values;
  const [file, ...extra] = o.positionals;
  if (!file || extra.length || !out || !/^\d+$/.test(frameText)) return (io.err(USAGE), 2);
  try {
    const parsed = parseDicomBytes(new Uint8Array(await readFile(file)), basename(file));
    const module = readImagePixelModule(parsed);
    const bytes = await decodeStoredPixels(parsed, module, Number(frameText));
    await writeFile(out, bytes);
    io.out(
      `${out}: ${bytes.length} bytes, frame ${frameText} of ${module.frames}, ${module.columns}×${module.rows}×${module.samplesPerPixel}, ${module.bitsAllocated}-bit\n`,
    );
    return 0;
  } catch (error) {
    io.err(`${file}: ${describeError(error)}\n`);
    return 3;
  }
}

export async function deidentifyCommand(args: string[], io: CliStreams): Promise<number> {
  const o = parseOptions(args, {
    key: { type: 'string' },
    'retain-dates': { type: 'boolean', default: false },
  });
  if (o.problem !== undefined) return (io.err(`deidentify: ${o.problem}\n${USAGE}`), 2);
  const { key, 'retain-dates': retainDates } = o.values;
  const [input, output, ...extra] = o.positionals;
  if (!input || !output || extra.length || !key) return (io.err(USAGE), 2);
  try {
    const bytes = deidentifyDicom(
      new Uint8Array(await readFile(input)),
      { uidKey: key, retainLongitudinalFullDates: retainDates },
      basename(input),
    );
    await writeFile(output, bytes);
    io.out(
      `${output}: de-identified (PS3.15 Basic Profile${retainDates ? ', full dates retained' : ''})\n`,
    );
    return 0;
  } catch (error) {
    io.err(`${input}: ${describeError(error)}\n`);
    return 3;
  }
}

const SALIENCY_CHOICES: readonly string[] = ['auto', 'cam', 'occlusion', 'rise', 'none'];

/** The problem with analyze's flag values, or undefined when they are all valid. */
function analyzeValueProblem(values: {
  backend?: string;
  saliency: string;
  'photo-domain'?: string;
}): string | undefined {
  const { backend, saliency, 'photo-domain': photoDomain } = values;
  if (backend !== undefined && !['wasm', 'node'].includes(backend))
    return '--backend is wasm or node (--engine is its newer name)';
  if (!SALIENCY_CHOICES.includes(saliency))
    return `--saliency is one of ${SALIENCY_CHOICES.join(', ')}`;
  if (photoDomain !== undefined && !['retina', 'chest'].includes(photoDomain))
    return '--photo-domain is retina or chest';
  return undefined;
}

export async function analyzeCommand(args: string[], io: CliStreams): Promise<number> {
  const o = parseOptions(args, {
    out: { type: 'string' },
    model: { type: 'string', multiple: true, default: [] },
    engine: { type: 'string' },
    // The older name of --engine: `node` is native, `wasm` is wasm; --engine wins over it.
    backend: { type: 'string' },
    models: { type: 'string' },
    saliency: { type: 'string', default: 'auto' },
    'photo-domain': { type: 'string' },
    'od-names': { type: 'string' },
    'os-names': { type: 'string' },
  });
  const usage = (problem: string) => (io.err(`analyze: ${problem}\n${USAGE}`), 2);
  if (o.problem !== undefined) return usage(o.problem);
  const { values, positionals: paths } = o;
  if (!paths.length) return usage('at least one PATH is required');
  if (!values.out) return usage('--out DIR is required');
  const problem = analyzeValueProblem(values);
  if (problem) return usage(problem);
  const { backend } = values;
  const engine =
    values.engine ?? (backend === 'node' ? 'native' : backend === 'wasm' ? 'wasm' : 'auto');
  if (!isEnginePreference(engine)) return usage('--engine is one of auto, native, wasm');
  try {
    return await runAnalyze(
      {
        paths,
        out: values.out,
        models: values.model,
        engine,
        modelsFolder:
          values.models ??
          bundledFolders(findProjectRoot(fileURLToPath(new URL('.', import.meta.url))))
            .modelsFolder,
        saliency: values.saliency as SaliencyChoice,
        photoDomain: values['photo-domain'] as 'retina' | 'chest' | undefined,
        eyeNamePatterns: eyeNamePatternsFrom({ OD: values['od-names'], OS: values['os-names'] }),
        isTty: Boolean(process.stderr.isTTY),
      },
      io,
    );
  } catch (error) {
    io.err(`analyze: ${describeError(error)}\n`);
    return 2;
  }
}

export async function auditCommand(args: string[], io: CliStreams): Promise<number> {
  const o = parseOptions(args, {
    data: { type: 'string' },
    checkpoint: { type: 'string', multiple: true, default: [] },
  });
  if (o.problem !== undefined) return (io.err(`audit: ${o.problem}\n${USAGE}`), 2);
  const { data } = o.values;
  if (o.positionals.join(' ') !== 'verify' || !data) return (io.err(USAGE), 2);
  // Checkpoints that left the machine (a PDF footer, a package manifest): N:HASH.
  const checkpoints: { entries: number; hash: string }[] = [];
  for (const given of o.values.checkpoint) {
    const [entries, hash, ...more] = given.split(':');
    if (!/^\d+$/.test(entries ?? '') || !isSha256Hex(hash ?? '') || more.length)
      return (
        io.err(
          `audit verify: --checkpoint takes ENTRIES:HASH (64 hex digits), as printed on a PDF or in a package manifest\n`,
        ),
        2
      );
    checkpoints.push({ entries: Number(entries), hash: hash! });
  }
  try {
    const result = await verifyDataFolder(data, { checkpoints });
    for (const line of result.lines) (result.ok ? io.out : io.err)(`${line}\n`);
    return result.ok ? 0 : 4;
  } catch (error) {
    io.err(`audit verify: ${describeError(error)}\n`);
    return 2;
  }
}

/** `input` supplies passwords and passphrases (stdin, a terminal prompt); tests pass their own. */
export async function runCli(
  argv: string[],
  io: CliStreams,
  input?: PasswordInput,
): Promise<number> {
  const [command, ...args] = argv;
  switch (command) {
    case 'info':
      return infoCommand(args, io);
    case 'pixels':
      return pixelsCommand(args, io);
    case 'deidentify':
      return deidentifyCommand(args, io);
    case 'analyze':
      return analyzeCommand(args, io);
    case 'audit':
      return auditCommand(args, io);
    case 'site':
      return siteCommand(args, io, input ?? processPasswordInput()).catch(
        (error: unknown) => (io.err(`site: ${describeError(error)}\n`), 2),
      );
    case 'batch':
      return batchCommand(args, io, input ?? processPasswordInput()).catch(
        (error: unknown) => (io.err(`batch: ${describeError(error)}\n`), 2),
      );
    case 'validate':
      return validateCommand(args, io);
    case 'export-training':
      return exportTrainingCommand(args, io);
    case 'user':
      return userCommand(args, io, input ?? processPasswordInput()).catch(
        (error: unknown) => (io.err(`user: ${describeError(error)}\n`), 2),
      );
    case undefined:
    case '--help':
    case 'help':
      io.out(USAGE);
      return command ? 0 : 2;
    default:
      io.err(`Unknown command "${command}".\n${USAGE}`);
      return 2;
  }
}
