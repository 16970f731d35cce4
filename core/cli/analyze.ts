/**
 * `neoscope analyze PATH… --out DIR [--model ID]… [--backend wasm|node] [--models DIR]
 *  [--saliency auto|cam|occlusion|rise|none]`
 * For each image and each installed model of the image's domain, writes DIR/<stem>/:
 * <model-id>.json, and <model-id>.prob.png + .mask.png (segmentation) and
 * <model-id>.saliency.png, and the measurements the package declares
 * (<model-id>.measurements.json, <model-id>.tortuosity.png); then DIR/summary.csv. Images are done one at a time (bounded
 * memory), each image's folder appears atomically, and a journal lets a killed batch
 * resume without redoing finished images. Exit 0: all succeeded; 3: some failed.
 *
 * Photo exports (JPEG/PNG/TIFF) get their eye from the sidecar CSVs among the inputs, EXIF
 * or the file name, and their domain from the sidecar or their pixels (a chest film saved
 * as JPEG is a chest image), as an import would (core/library/photo-facts.ts). A model
 * named with --model that is for another domain than an image is refused for that image
 * (MODEL_DOMAIN_MISMATCH), naming both: it never runs on it.
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
import { describePhoto } from '../library/photo-facts.ts';
import { readSidecars } from '../library/photo-inputs.ts';
import { lookupSidecar, type SidecarRows } from '../library/photo-sidecar.ts';
import { ModelError } from '../inference/model-errors.ts';
import { intendedUseDecision, type IntendedUseDecision } from '../inference/intended-use.ts';
import {
  headerFacts,
  intendedUseContextOf,
  type ImageFacts,
} from '../inference/intended-use-context.ts';
import type { LoadedModel } from '../inference/load-package.ts';
import type { EyeNamePatterns } from '../vocabulary/eye-names.ts';
import type { CliStreams } from './commands.ts';

export interface AnalyzeOptions {
  paths: string[];
  out: string;
  models: string[];
  backend: 'wasm' | 'node';
  modelsFolder: string;
  saliency: SaliencyChoice;
  /** Domain of every JPEG/PNG/TIFF input, overriding sidecars and pixels (default: those decide). */
  photoDomain?: 'retina' | 'chest';
  /** File-name tokens that give a photo's eye (default: core/vocabulary/eye-names.ts). */
  eyeNamePatterns?: EyeNamePatterns;
  /** Called after each image (tests watch memory with it). */
  onImageDone?: (index: number) => void;
  isTty?: boolean;
}

interface Decoded {
  frame: DecodedFrame;
  domain: string;
  laterality?: string;
  /** Where the domain and eye came from, for a photo export (the sidecar, the pixels, …). */
  sources?: { domain?: string; eye?: string };
  /** What the intended-use gate reads (no patient record here: ages from the header only). */
  facts: ImageFacts;
}

/** What each result file says about the image: its domain and eye, and why. */
function imageFacts(decoded: Decoded) {
  const eye = decoded.laterality === 'R' ? 'OD' : decoded.laterality === 'L' ? 'OS' : 'unknown';
  return { domain: decoded.domain, eye, ...(decoded.sources ? { sources: decoded.sources } : {}) };
}

interface PhotoContext {
  sidecar: SidecarRows;
  photoDomain?: 'retina' | 'chest';
  patterns?: EyeNamePatterns;
}

async function decodeInput(
  bytes: Uint8Array,
  name: string,
  photos: PhotoContext,
): Promise<Decoded> {
  if (photoFormat(bytes)) {
    const facts = await describePhoto(bytes, name, {
      sidecar: lookupSidecar(photos.sidecar, name),
      given: photos.photoDomain ? { domain: photos.photoDomain } : undefined,
      patterns: photos.patterns,
    });
    const eye = facts.metadata.eye;
    return {
      frame: await decodePhotoFrame(bytes, 'cli', name),
      domain: facts.metadata.domain,
      laterality: eye === 'OD' ? 'R' : eye === 'OS' ? 'L' : undefined,
      sources: { domain: facts.sources.domain, eye: facts.sources.eye },
      facts: { domain: facts.metadata.domain },
    };
  }
  const parsed = parseDicomBytes(bytes, name);
  const summary = summarizeInstance(parsed, 'cli');
  return {
    frame: await buildDisplayFrame(parsed, 'cli', 0),
    domain: summary.domain,
    laterality: summary.laterality,
    facts: headerFacts(parsed, summary.domain),
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
  image?: ReturnType<typeof imageFacts>,
  intendedUse?: IntendedUseDecision,
): Promise<ResultRow[]> {
  const id = analysis.model.id;
  const { probabilityMap: prob, saliency } = analysis;
  const json = {
    model: analysis.model,
    image,
    intendedUse: intendedUse && intendedUseJson(intendedUse),
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

/** The gate's answer as the result file states it: within, outside or unknown, and why. */
function intendedUseJson(decision: IntendedUseDecision) {
  return {
    status: decision.status,
    reasons: decision.reasons,
    ...(decision.label ? { label: decision.label } : {}),
  };
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

/** Models named on the command line that are for another domain than the image: refused, naming both. */
function domainMismatch(models: LoadedModel[], domain: string, name: string): ModelError {
  const named = models.map((m) => `${m.manifest.id} (${m.manifest.domain})`).join(', ');
  return new ModelError(
    'MODEL_DOMAIN_MISMATCH',
    `${basename(name)} is a ${domain} image; the model${models.length > 1 ? 's' : ''} asked for ${models.length > 1 ? 'are' : 'is'} for other images: ${named}`,
    name,
  );
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
  const sidecars = await readSidecars(options.paths);
  for (const problem of sidecars.problems)
    io.err(`${problem.name}: sidecar row not used: ${problem.reason}\n`);
  const photos: PhotoContext = {
    sidecar: sidecars.rows,
    photoDomain: options.photoDomain,
    patterns: options.eyeNamePatterns,
  };
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
      const decoded = await decodeInput(bytes, name, photos);
      const { frame, domain } = decoded;
      const applicable = models.filter((m) => m.manifest.domain === domain);
      if (!applicable.length && options.models.length) throw domainMismatch(models, domain, name);
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
        let intendedUse: IntendedUseDecision;
        try {
          intendedUse = intendedUseDecision(model.manifest, intendedUseContextOf(decoded.facts));
        } catch (error) {
          // A package that refuses images outside its scope does not run; the file says why.
          const { code, message } = toApiErrorBody(error);
          const { id, version, sha256 } = model.manifest;
          const json = { model: { id, version, sha256 }, image: imageFacts(decoded) };
          await writeFile(
            join(partial, `${id}.json`),
            `${JSON.stringify({ ...json, notRun: { code, message } }, null, 2)}\n`,
          );
          continue;
        }
        const t0 = performance.now();
        const analysis = await analyzeImage(frame, model, options.saliency);
        const measured = measure(model.manifest.measurements ?? [], decoded, analysis);
        results.push(
          ...(await writeImageOutputs(
            partial,
            analysis,
            performance.now() - t0,
            measured,
            imageFacts(decoded),
            intendedUse,
          )),
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
