/**
 * `neoscope analyze PATH… --out DIR [--model ID]… [--backend wasm|node] [--models DIR]
 *  [--saliency auto|cam|occlusion|rise|none]`
 * For each image and each installed model of the image's domain, writes DIR/<stem>/:
 * <model-id>.json, and <model-id>.prob.png + .mask.png (segmentation) and
 * <model-id>.saliency.png, and the measurements the package declares
 * (<model-id>.measurements.json, <model-id>.tortuosity.png); then DIR/summary.csv. Images are done one at a time (bounded
 * memory), each image's folder appears atomically, and a journal lets a killed batch
 * resume without redoing finished images. Exit 0: all succeeded; 3: some failed.
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import sharp from 'sharp';
import { toApiErrorBody } from '../api/errors.ts';
import type { DecodedFrame } from '../api/schemas.ts';
import { buildDisplayFrame } from '../dicom/display-frame.ts';
import { parseDicomBytes } from '../dicom/parse.ts';
import { summarizeInstance } from '../dicom/summary.ts';
import {
  analyzeImage,
  type ImageAnalysis,
  type SaliencyChoice,
} from '../inference/analyze-image.ts';
import { BatchJournal, type JournalLine } from '../inference/batch/journal.ts';
import { createNativeNodeEngine } from '../inference/engine-native-node.ts';
import { createWasmNodeEngine } from '../inference/engine-wasm-node.ts';
import { createModelRegistry } from '../inference/registry.ts';
import { expandZip, isZip } from '../library/archives.ts';
import {
  deriveMeasurement,
  type DerivedMeasurement,
  type MeasurementKind,
} from '../measurements/derive-measurements.ts';
import { enumerateInputs, type InputRef } from '../library/enumerate-inputs.ts';
import { sha256Hex } from '../library/library.ts';
import { safeFileName } from '../security/safe-file-name.ts';
import {
  resolveSaliency,
  type SaliencyError,
} from '../inference/portable/saliency/saliency-methods.ts';
import { decodePhotoFrame, photoFormat } from '../library/photo-export.ts';
import type { CliStreams } from './commands.ts';

export interface AnalyzeOptions {
  paths: string[];
  out: string;
  models: string[];
  backend: 'wasm' | 'node';
  modelsFolder: string;
  saliency: SaliencyChoice;
  /** Domain of JPEG/PNG inputs, which carry none (default retina: fundus cameras export photos). */
  photoDomain?: 'retina' | 'chest';
  /** Called after each image (tests watch memory with it). */
  onImageDone?: (index: number) => void;
  isTty?: boolean;
}

interface Decoded {
  frame: DecodedFrame;
  domain: string;
  laterality?: string;
}

async function decodeInput(
  bytes: Uint8Array,
  name: string,
  photoDomain: 'retina' | 'chest',
): Promise<Decoded> {
  if (photoFormat(bytes))
    return { frame: await decodePhotoFrame(bytes, 'cli', name), domain: photoDomain };
  const parsed = parseDicomBytes(bytes, name);
  const summary = summarizeInstance(parsed, 'cli');
  return {
    frame: await buildDisplayFrame(parsed, 'cli', 0),
    domain: summary.domain,
    laterality: summary.laterality,
  };
}

function grayPng(
  values: Float32Array,
  width: number,
  height: number,
  transform: (v: number) => number,
): Promise<Buffer> {
  const bytes = Buffer.alloc(width * height);
  for (let i = 0; i < bytes.length; i++)
    bytes[i] = Math.max(0, Math.min(255, Math.round(transform(values[i]!))));
  return sharp(bytes, { raw: { width, height, channels: 1 } })
    .png()
    .toBuffer();
}

/** The package's declared measurements on this image; one that cannot be made is reported, not fatal. */
function measure(
  kinds: readonly MeasurementKind[],
  decoded: Decoded,
  analysis: ImageAnalysis,
): (DerivedMeasurement | { kind: MeasurementKind; error: { code: string; message: string } })[] {
  const prob = analysis.probabilityMap;
  if (!prob) return [];
  return kinds.map((kind) => {
    try {
      return deriveMeasurement(kind, decoded.frame, prob, { laterality: decoded.laterality });
    } catch (error) {
      const body = toApiErrorBody(error);
      return { kind, error: { code: body.code, message: body.message } };
    }
  });
}

async function writeMeasurements(
  folder: string,
  id: string,
  measured: ReturnType<typeof measure>,
  base: Omit<ResultRow, 'label' | 'score'>,
): Promise<ResultRow[]> {
  if (!measured.length) return [];
  const rows: ResultRow[] = [];
  const json = measured.map((m) => {
    if ('error' in m) return m;
    if (m.kind === 'cardiothoracic-ratio') {
      rows.push({ ...base, label: 'cardiothoracic ratio (estimate)', score: m.measurement.ratio });
      return m;
    }
    rows.push({
      ...base,
      label: 'vascular severity: mean tortuosity index',
      score: m.metrics.severity.meanTortuosityIndex ?? Number.NaN,
    });
    const { overlay: _overlay, ...rest } = m;
    return { ...rest, overlayFile: `${id}.tortuosity.png` };
  });
  for (const m of measured) {
    if (!('error' in m) && m.kind === 'retinal-vascular-metrics') {
      const { width, height, rgba } = m.overlay;
      await writeFile(
        join(folder, `${id}.tortuosity.png`),
        await sharp(Buffer.from(rgba.buffer, rgba.byteOffset, rgba.byteLength), {
          raw: { width, height, channels: 4 },
        })
          .png()
          .toBuffer(),
      );
    }
  }
  await writeFile(join(folder, `${id}.measurements.json`), `${JSON.stringify(json, null, 2)}\n`);
  return rows;
}

async function writeImageOutputs(
  folder: string,
  analysis: ImageAnalysis,
  elapsedMs: number,
  measured: ReturnType<typeof measure> = [],
): Promise<ResultRow[]> {
  const id = analysis.model.id;
  const { probabilityMap: prob, saliency } = analysis;
  const json = {
    model: analysis.model,
    backend: analysis.backend,
    timingsMs: { ...analysis.timingsMs, total: elapsedMs },
    findings: analysis.findings,
    segmentation: prob
      ? { threshold: prob.threshold, files: [`${id}.prob.png`, `${id}.mask.png`] }
      : undefined,
    saliency: saliency ? { method: saliency.method, file: `${id}.saliency.png` } : undefined,
    measurements: measured.length
      ? { kinds: measured.map((m) => m.kind), file: `${id}.measurements.json` }
      : undefined,
  };
  await writeFile(join(folder, `${id}.json`), `${JSON.stringify(json, null, 2)}\n`);
  if (prob) {
    await writeFile(
      join(folder, `${id}.prob.png`),
      await grayPng(prob.values, prob.width, prob.height, (v) => v * 255),
    );
    await writeFile(
      join(folder, `${id}.mask.png`),
      await grayPng(prob.values, prob.width, prob.height, (v) => (v >= prob.threshold ? 255 : 0)),
    );
  }
  if (saliency)
    await writeFile(
      join(folder, `${id}.saliency.png`),
      await grayPng(
        saliency.imageValues,
        saliency.imageWidth,
        saliency.imageHeight,
        (v) => v * 255,
      ),
    );
  const base = {
    model: id,
    version: analysis.model.version,
    backend: analysis.backend,
    ms: Math.round(elapsedMs),
  };
  if (prob) {
    let above = 0;
    for (const v of prob.values) if (v >= prob.threshold) above++;
    return [
      { ...base, label: 'segmented fraction', score: above / prob.values.length },
      ...(await writeMeasurements(folder, id, measured, base)),
    ];
  }
  return analysis.findings.map((f) => ({
    ...base,
    label: f.label,
    score: f.score,
    positive: f.positive,
  }));
}

interface ResultRow {
  model: string;
  version: string;
  backend: string;
  ms: number;
  label: string;
  score: number;
  positive?: boolean;
}

/** Names the run itself writes in the output folder: an image never takes one of them. */
const RESERVED_STEMS = new Set(['summary.csv']);

/**
 * The output folder name for an input: a safe single segment (an input named `...jpg` must
 * never make the run remove `out/..`), unique within the run.
 */
export function stemFor(name: string, used: Set<string>): string {
  const base = safeFileName(basename(name).replace(/\.(dcm|dicom|jpe?g|png)$/i, ''), 'image');
  let stem = base;
  for (let n = 2; used.has(stem) || RESERVED_STEMS.has(stem); n++) stem = `${base}-${n}`;
  used.add(stem);
  return stem;
}

function progressLine(done: number, total: number, started: number): string {
  const elapsed = (performance.now() - started) / 1000;
  const rate = done / Math.max(elapsed, 1e-3);
  const width = 30;
  const filled = Math.round((done / Math.max(total, 1)) * width);
  const eta = rate > 0 ? Math.round((total - done) / rate) : 0;
  return `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} · ${rate.toFixed(1)} img/s · ${eta} s left`;
}

export async function runAnalyze(options: AnalyzeOptions, io: CliStreams): Promise<number> {
  // Every PNG written is of a new image: libvips' operation cache would only grow toward
  // its 50 MB limit without ever being hit. Bounded memory over long batches matters more.
  sharp.cache(false);
  const engine =
    options.backend === 'node' ? await createNativeNodeEngine() : createWasmNodeEngine();
  const entries = await createModelRegistry(options.modelsFolder, engine).list();
  for (const broken of entries.filter((e) => !e.ok))
    if (!broken.ok)
      io.err(`model not loaded: ${broken.folder}: ${broken.code}: ${broken.message}\n`);
  let models = entries.flatMap((e) => (e.ok ? [e.model] : []));
  if (options.models.length) {
    const missing = options.models.filter((id) => !models.some((m) => m.manifest.id === id));
    if (missing.length) {
      io.err(`no installed, verified model with id ${missing.join(', ')}\n`);
      return 2;
    }
    models = models.filter((m) => options.models.includes(m.manifest.id));
  }
  if (!models.length) {
    io.err(
      `no verified model packages in ${options.modelsFolder}: nothing to analyse (manual grading needs none)\n`,
    );
    return 2;
  }
  // A saliency method asked for by name is honoured by every model that runs, or nothing runs.
  const refusals = models.flatMap((m) => {
    try {
      resolveSaliency(m.manifest, options.saliency);
      return [];
    } catch (error) {
      return [`${(error as SaliencyError).code}: ${(error as Error).message}`];
    }
  });
  if (refusals.length) {
    io.err(
      `${refusals.join('\n')}\n(choose the models that offer it with --model, or --saliency auto|none)\n`,
    );
    return 2;
  }

  await mkdir(options.out, { recursive: true });
  const journal = new BatchJournal(join(options.out, '.neoscope-analyze.journal'));
  const inputs = await enumerateInputs(options.paths);
  const resumed = journal.entries.length;
  if (resumed) io.err(`resuming: ${resumed} image(s) already done in ${options.out}\n`);
  const used = new Set(journal.entries.map((e) => e.outputs ?? '').filter(Boolean));
  const started = performance.now();
  let index = 0;

  const analyseOne = async (name: string, bytes: Uint8Array) => {
    const key = `${name}#${sha256Hex(bytes)}`;
    if (journal.has(key)) return;
    const stem = stemFor(name, used);
    const partial = join(options.out, `${stem}.partial`);
    const final = join(options.out, stem);
    try {
      const decoded = await decodeInput(bytes, name, options.photoDomain ?? 'retina');
      const { frame, domain } = decoded;
      const applicable = models.filter((m) => m.manifest.domain === domain);
      if (!applicable.length) {
        journal.record({
          key,
          input: name,
          status: 'done',
          outputs: '',
          message: `no installed model for ${domain} images`,
        });
        return;
      }
      await rm(partial, { recursive: true, force: true });
      await mkdir(partial, { recursive: true });
      const results: ResultRow[] = [];
      for (const model of applicable) {
        const t0 = performance.now();
        const analysis = await analyzeImage(frame, model, options.saliency);
        const measured = measure(model.manifest.measurements ?? [], decoded, analysis);
        results.push(
          ...(await writeImageOutputs(partial, analysis, performance.now() - t0, measured)),
        );
      }
      await rm(final, { recursive: true, force: true });
      await rename(partial, final);
      journal.record({ key, input: name, status: 'done', outputs: stem, results });
    } catch (error) {
      await rm(partial, { recursive: true, force: true });
      const body = toApiErrorBody(error);
      journal.record({
        key,
        input: name,
        status: 'failed',
        code: body.code,
        message: body.message,
      });
    }
  };

  for (const input of inputs as InputRef[]) {
    const bytes = await input.read();
    if (isZip(bytes)) {
      try {
        for (const inner of expandZip(bytes, input.name)) await analyseOne(inner.name, inner.bytes);
      } catch (error) {
        const body = toApiErrorBody(error);
        journal.record({
          key: `${input.name}#${sha256Hex(bytes)}`,
          input: input.name,
          status: 'failed',
          code: body.code,
          message: body.message,
        });
      }
    } else await analyseOne(input.name, bytes);
    index++;
    options.onImageDone?.(index);
    if (options.isTty) io.err(progressLine(index, inputs.length, started));
  }
  if (options.isTty) io.err('\n');
  journal.close();
  await writeSummary(options.out, journal.entries);
  const failed = journal.entries.filter((e) => e.status === 'failed');
  for (const f of failed) io.err(`${f.input}: ${f.code}: ${f.message}\n`);
  io.out(
    `${journal.entries.length - failed.length} image(s) analysed or skipped, ${failed.length} failed; results in ${options.out}\n`,
  );
  return failed.length ? 3 : 0;
}

/**
 * DIR/summary.csv. Cells come from file names and error messages, so a cell that a
 * spreadsheet would run as a formula (starting with =, +, -, @, tab or CR) gets a leading
 * apostrophe (OWASP CSV injection); numbers, negative ones included, stay numbers.
 */
export async function writeSummary(out: string, entries: JournalLine[]): Promise<void> {
  const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
  const neutralise = (text: string) =>
    /^[=+\-@\t\r]/.test(text) && !NUMBER.test(text) ? `'${text}` : text;
  const quote = (v: unknown) => `"${neutralise(String(v ?? '')).replace(/"/g, '""')}"`;
  const header = [
    'input',
    'status',
    'output_folder',
    'model',
    'version',
    'backend',
    'finding',
    'score',
    'positive',
    'ms',
    'code',
    'message',
  ];
  const rows = [header.join(',')];
  for (const e of entries) {
    const results = (e.results as ResultRow[] | undefined) ?? [];
    if (!results.length)
      rows.push(
        [e.input, e.status, e.outputs, '', '', '', '', '', '', '', e.code, e.message]
          .map(quote)
          .join(','),
      );
    for (const r of results)
      rows.push(
        [
          e.input,
          e.status,
          e.outputs,
          r.model,
          r.version,
          r.backend,
          r.label,
          r.score.toFixed(6),
          r.positive ?? '',
          r.ms,
          '',
          '',
        ]
          .map(quote)
          .join(','),
      );
  }
  await writeFile(join(out, 'summary.csv'), `${rows.join('\n')}\n`);
}
