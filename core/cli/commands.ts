/**
 * `neoscope` commands. Each returns an exit code and writes only to the streams it is
 * given, so tests run them in-process.
 *   0  success       2  usage error       3  some inputs failed (listed on stderr)
 */
import { readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { planarToInterleaved } from '../dicom/colour.ts';
import { decodeFrameBytes } from '../dicom/decode.ts';
import { describeInstance } from '../dicom/describe.ts';
import { readImagePixelModule } from '../dicom/image-pixel-module.ts';
import { parseDicomBytes } from '../dicom/parse.ts';
import { isNativeTransferSyntax } from '../dicom/uids.ts';

export interface CliStreams {
  out: (text: string) => void;
  err: (text: string) => void;
}

export const USAGE = `Usage:
  neoscope info FILE [--json]                 describe a DICOM file
  neoscope pixels FILE [--frame N] --out RAW  write a frame's stored pixel values
                                              (little endian, samples interleaved, no LUT)
`;

function describeError(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  return code ? `${code}: ${message}` : String(message ?? error);
}

export async function infoCommand(args: string[], io: CliStreams): Promise<number> {
  const file = args.find((a) => !a.startsWith('--'));
  if (!file) return io.err(USAGE), 2;
  try {
    const parsed = parseDicomBytes(new Uint8Array(await readFile(file)), basename(file));
    const description = describeInstance(parsed);
    if (args.includes('--json')) io.out(`${JSON.stringify(description, null, 2)}\n`);
    else {
      const image = description.image;
      io.out(
        [
          `file          ${description.file}`,
          `patient       ${description.patient.name} (${description.patient.id})`,
          `study         ${description.study.date} ${description.study.description}`,
          `modality      ${description.series.modality}`,
          `SOP class     ${description.sopClassUid}`,
          `transfer      ${description.transferSyntax.name} (${description.transferSyntax.uid})`,
          image ? `image         ${image.columns}×${image.rows}×${image.frames} frame(s), ${image.samplesPerPixel} sample(s), ${image.bitsStored}/${image.bitsAllocated} bits, ${image.photometric}` : 'image         none (no Pixel Data)',
          description.calibration ? `spacing       ${description.spacing ? `${description.spacing.rowMm} × ${description.spacing.columnMm} mm; ` : ''}${description.calibration}` : '',
          description.domain ? `domain        ${description.domain} (${description.domainReason})` : '',
        ]
          .filter(Boolean)
          .join('\n') + '\n',
      );
    }
    return 0;
  } catch (error) {
    io.err(`${file}: ${describeError(error)}\n`);
    return 3;
  }
}

export async function pixelsCommand(args: string[], io: CliStreams): Promise<number> {
  const value = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
  const out = value('--out');
  const frameText = value('--frame') ?? '0';
  const file = args.find((a, i) => !a.startsWith('--') && !['--out', '--frame'].includes(args[i - 1] ?? ''));
  if (!file || !out || !/^\d+$/.test(frameText)) return io.err(USAGE), 2;
  try {
    const parsed = parseDicomBytes(new Uint8Array(await readFile(file)), basename(file));
    const module = readImagePixelModule(parsed);
    let bytes = await decodeFrameBytes(parsed, module, Number(frameText));
    // Native colour-by-plane data is written interleaved, as promised (encapsulated
    // frames come out of the codecs interleaved already).
    const planarNative = module.samplesPerPixel === 3 && module.planarConfiguration === 1 && isNativeTransferSyntax(parsed.transferSyntaxUid);
    if (planarNative && module.bitsAllocated === 8) bytes = planarToInterleaved(bytes, module.rows * module.columns);
    await writeFile(out, bytes);
    io.out(`${out}: ${bytes.length} bytes, frame ${frameText} of ${module.frames}, ${module.columns}×${module.rows}×${module.samplesPerPixel}, ${module.bitsAllocated}-bit\n`);
    return 0;
  } catch (error) {
    io.err(`${file}: ${describeError(error)}\n`);
    return 3;
  }
}

export async function runCli(argv: string[], io: CliStreams): Promise<number> {
  const [command, ...args] = argv;
  switch (command) {
    case 'info':
      return infoCommand(args, io);
    case 'pixels':
      return pixelsCommand(args, io);
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
