/**
 * `neoscope analyze PATH… --out DIR [--model ID]… [--engine auto|native|wasm] [--models DIR]
 *  [--saliency auto|cam|occlusion|rise|none]`
 * For each image and each installed model of the image's domain, writes DIR/<stem>/:
 * <model-id>.json, and <model-id>.prob.png + .mask.png (segmentation) and
 * <model-id>.saliency.png, and the measurements the package declares
 * (<model-id>.measurements.json, <model-id>.tortuosity.png); then DIR/summary.csv. Every
 * result file names the model (id, version, sha256) and the NeoScope version that made it,
 * so a number can be traced to both, and the engine that ran it and why (default: the fastest
 * installed, onnxruntime-node, in a worker thread). Images overlap in a bounded pipeline (one
 * decoded while another is inferred and a third written; memory stays bounded), each image's
 * folder appears atomically, and a journal lets a killed batch resume without redoing
 * finished images. Exit 0: all succeeded; 3: some failed.
 *
 * Photo exports (JPEG/PNG/TIFF) get their eye from the sidecar CSVs among the inputs, EXIF
 * or the file name, and their domain from the sidecar or their pixels (a chest film saved
 * as JPEG is a chest image), as an import would (core/library/photo-facts.ts). A model
 * named with --model that is for another domain than an image is refused for that image
 * (MODEL_DOMAIN_MISMATCH), naming both: it never runs on it.
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
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
import {
  BatchJournal,
  journalViews,
  type JournalLine,
  type JournalView,
} from '../inference/batch/journal.ts';
import { startBatchEngine, type BatchEngine } from '../inference/batch/batch-engine.ts';
import { orderedPipeline } from '../inference/batch/ordered-pipeline.ts';
import { lazyMeasurer, type Measurer } from '../inference/worker/measurement-worker-host.ts';
import type { EnginePreference } from '../inference/engine-choice.ts';
import { createModelRegistry } from '../inference/registry.ts';
import { expandZip, isZip } from '../library/archives.ts';
import {
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
import { findProjectRoot, productVersion } from '../workstation/paths.ts';
import type { CliStreams } from './commands.ts';

export interface AnalyzeOptions {
  paths: string[];
  out: string;
  models: string[];
  /** The engine (default auto: onnxruntime-node when installed, else WASM). */
  engine?: EnginePreference;
  /** The older name of `engine` ('node' is native); `engine` wins when both are given. */
  backend?: 'wasm' | 'node';
  modelsFolder: string;
  saliency: SaliencyChoice;
  /** Domain of every JPEG/PNG/TIFF input, overriding sidecars and pixels (default: those decide). */
  photoDomain?: 'retina' | 'chest';
  /** File-name tokens that give a photo's eye (default: core/vocabulary/eye-names.ts). */
  eyeNamePatterns?: EyeNamePatterns;
  /** Written into every result file; default: the version in NeoScope's package.json. */
  softwareVersion?: string;
  /** Called after each image (tests watch memory with it). */
  onImageDone?: (index: number) => void;
  isTty?: boolean;
}

interface Decoded {
  frame: DecodedFrame;
  domain: string;
  laterality?: string;
  /** Patient ID (0010,0020), or the photo's from its sidecar; for the summary. */
  patientId?: string;
  /** Where the domain and eye came from, for a photo export (the sidecar, the pixels, …). */
  sources?: { domain?: string; eye?: string };
  /** What the intended-use gate reads (no patient record here: ages from the header only). */
  facts: ImageFacts;
}

/**
 * The eye of a fundus image. Image Laterality (0020,0062) of a chest film says which side of
 * the body (a left lateral film is "L"), never an eye: other domains have none.
 */
const eyeOf = (decoded: Decoded) =>
  decoded.domain !== 'retina'
    ? undefined
    : decoded.laterality === 'R'
      ? 'OD'
      : decoded.laterality === 'L'
        ? 'OS'
        : 'unknown';

/** What each result file says about the image: its domain and eye, and why. */
function imageFacts(decoded: Decoded) {
  const eye = eyeOf(decoded);
  return {
    domain: decoded.domain,
    ...(eye ? { eye } : {}),
    ...(decoded.sources ? { sources: decoded.sources } : {}),
  };
}

/**
 * Whose image a summary row is, which eye and which view: a reader sorts a day's run by
 * infant and eye, and a lateral film's missing ratio explains itself by its view.
 */
interface ImageColumns {
  patientId: string;
  /** OD or OS for a fundus image; empty when nothing gives one, and for other domains. */
  eye: string;
  /** View Position (0018,5101) as the header states it (AP, PA, LL…); empty for photos. */
  view: string;
}

function imageColumns(decoded: Decoded): ImageColumns {
  const eye = eyeOf(decoded);
  return {
    patientId: decoded.patientId ?? '',
    eye: eye === 'OD' || eye === 'OS' ? eye : '',
    view: decoded.facts.view ?? '',
  };
}

/** A journal line with the image's columns; older journals (resumed runs) lack them. */
type SummaryLine = JournalLine & { image?: ImageColumns };

/** The model and the program that made a result file, as every result file names them. */
interface Provenance {
  model: { id: string; version: string; sha256: string };
  software: { product: 'NeoScope'; version: string };
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
      patientId: facts.metadata.patientId,
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
    patientId: summary.patientId,
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

/**
 * The package's declared measurements on this image, made on the measurement worker; one that
 * cannot be made is reported, not fatal.
 */
async function measure(
  measurer: Pick<Measurer, 'measure'>,
  kinds: readonly MeasurementKind[],
  decoded: Decoded,
  analysis: ImageAnalysis,
): Promise<
  (DerivedMeasurement | { kind: MeasurementKind; error: { code: string; message: string } })[]
> {
  const prob = analysis.probabilityMap;
  if (!prob) return [];
  return Promise.all(
    kinds.map((kind) =>
      measurer
        .measure(kind, decoded.frame, prob, { laterality: decoded.laterality })
        .catch((error: unknown) => {
          const body = toApiErrorBody(error);
          return { kind, error: { code: body.code, message: body.message } };
        }),
    ),
  );
}

/** What a summary row calls each measurement, made or not. */
const MEASUREMENT_LABELS: Record<MeasurementKind, string> = {
  'cardiothoracic-ratio': 'cardiothoracic ratio (estimate)',
  'retinal-vascular-metrics': 'vascular severity: mean tortuosity index',
};

async function writeMeasurements(
  folder: string,
  provenance: Provenance,
  image: ReturnType<typeof imageFacts> | undefined,
  measured: Awaited<ReturnType<typeof measure>>,
  base: Omit<ResultRow, 'label' | 'score'>,
): Promise<ResultRow[]> {
  if (!measured.length) return [];
  const id = provenance.model.id;
  const rows: ResultRow[] = [];
  const json = measured.map((m) => {
    const label = MEASUREMENT_LABELS[m.kind];
    // A measurement withheld (a lateral film has no cardiothoracic ratio) keeps its row, with
    // the code and the reason, so a missing number is never mistaken for a forgotten one.
    if ('error' in m) {
      rows.push({ ...base, label, score: Number.NaN, ...m.error });
      return m;
    }
    if (m.kind === 'cardiothoracic-ratio') {
      rows.push({ ...base, label, score: m.measurement.ratio });
      return m;
    }
    rows.push({ ...base, label, score: m.metrics.severity.meanTortuosityIndex ?? Number.NaN });
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
  await writeFile(
    join(folder, `${id}.measurements.json`),
    `${JSON.stringify({ ...provenance, image, measurements: json }, null, 2)}\n`,
  );
  return rows;
}

async function writeImageOutputs(
  folder: string,
  analysis: ImageAnalysis,
  elapsedMs: number,
  software: Provenance['software'],
  measured: Awaited<ReturnType<typeof measure>> = [],
  image?: ReturnType<typeof imageFacts>,
  intendedUse?: IntendedUseDecision,
): Promise<ResultRow[]> {
  const id = analysis.model.id;
  const { probabilityMap: prob, saliency } = analysis;
  const { version, sha256 } = analysis.model;
  const provenance: Provenance = { model: { id, version, sha256 }, software };
  const json = {
    model: analysis.model,
    software,
    image,
    intendedUse: intendedUse && intendedUseJson(intendedUse),
    backend: analysis.backend,
    engine: analysis.engine?.name,
    engineReason: analysis.engine?.reason,
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
      ...(await writeMeasurements(folder, provenance, image, measured, base)),
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
  /** NaN when the value was not made (then code and message say why). */
  score: number;
  positive?: boolean;
  code?: string;
  message?: string;
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

/** Images in flight at once: one decoding, one in the model, one being measured and written. */
const PIPELINE_DEPTH = 3;

export async function runAnalyze(options: AnalyzeOptions, io: CliStreams): Promise<number> {
  // Every PNG written is of a new image: libvips' operation cache would only grow toward
  // its 50 MB limit without ever being hit. Bounded memory over long batches matters more.
  sharp.cache(false);
  const batch = await startBatchEngine(
    options.engine ?? (options.backend === 'node' ? 'native' : (options.backend ?? 'auto')),
  );
  const measurer = lazyMeasurer();
  try {
    return await analyzeWith(batch, measurer, options, io);
  } finally {
    await Promise.all([batch.close(), measurer.close()]);
  }
}

async function analyzeWith(
  { engine }: BatchEngine,
  measurer: Pick<Measurer, 'measure'>,
  options: AnalyzeOptions,
  io: CliStreams,
): Promise<number> {
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

  const software = {
    product: 'NeoScope' as const,
    version:
      options.softwareVersion ??
      productVersion(findProjectRoot(fileURLToPath(new URL('.', import.meta.url)))),
  };
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

  // Each image records into its own view of the journal, written in input order (below).
  const analyseOne = async (name: string, bytes: Uint8Array, journal: JournalView) => {
    const key = `${name}#${sha256Hex(bytes)}`;
    if (journal.has(key)) return;
    const stem = stemFor(name, used);
    const partial = join(options.out, `${stem}.partial`);
    const final = join(options.out, stem);
    let image: ImageColumns | undefined;
    const record = (line: SummaryLine) => journal.record(image ? { ...line, image } : line);
    try {
      const decoded = await decodeInput(bytes, name, photos);
      image = imageColumns(decoded);
      const { frame, domain } = decoded;
      const applicable = models.filter((m) => m.manifest.domain === domain);
      if (!applicable.length && options.models.length) throw domainMismatch(models, domain, name);
      if (!applicable.length) {
        record({
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
          const json = { model: { id, version, sha256 }, software, image: imageFacts(decoded) };
          await writeFile(
            join(partial, `${id}.json`),
            `${JSON.stringify({ ...json, notRun: { code, message } }, null, 2)}\n`,
          );
          results.push({
            model: id,
            version,
            backend: '',
            ms: 0,
            label: 'not run',
            score: NaN,
            code,
            message,
          });
          continue;
        }
        const t0 = performance.now();
        const analysis = await analyzeImage(frame, model, options.saliency);
        const measured = await measure(
          measurer,
          model.manifest.measurements ?? [],
          decoded,
          analysis,
        );
        results.push(
          ...(await writeImageOutputs(
            partial,
            analysis,
            performance.now() - t0,
            software,
            measured,
            imageFacts(decoded),
            intendedUse,
          )),
        );
      }
      await rm(final, { recursive: true, force: true });
      await rename(partial, final);
      record({ key, input: name, status: 'done', outputs: stem, results });
    } catch (error) {
      await rm(partial, { recursive: true, force: true });
      const body = toApiErrorBody(error);
      record({
        key,
        input: name,
        status: 'failed',
        code: body.code,
        message: body.message,
      });
    }
  };

  /** Every image of the inputs (zips expanded), each marked with whether it ends its input. */
  async function* images() {
    for (const input of inputs as InputRef[]) {
      const bytes = await input.read();
      if (!isZip(bytes)) {
        yield { last: true, run: (view: JournalView) => analyseOne(input.name, bytes, view) };
        continue;
      }
      let inner: { name: string; bytes: Uint8Array }[];
      try {
        inner = expandZip(bytes, input.name);
      } catch (error) {
        const body = toApiErrorBody(error);
        const line = { key: `${input.name}#${sha256Hex(bytes)}`, input: input.name };
        yield {
          last: true,
          run: async (view: JournalView) =>
            view.record({ ...line, status: 'failed', code: body.code, message: body.message }),
        };
        continue;
      }
      if (!inner.length) yield { last: true, run: async () => {} };
      for (const [at, entry] of inner.entries())
        yield {
          last: at === inner.length - 1,
          run: (view: JournalView) => analyseOne(entry.name, entry.bytes, view),
        };
    }
  }
  const openView = journalViews(journal);
  await orderedPipeline(
    images(),
    PIPELINE_DEPTH,
    async (image) => {
      const view = openView();
      await image.run(view);
      return view;
    },
    (view, image) => {
      view.flush();
      if (!image.last) return;
      index++;
      options.onImageDone?.(index);
      if (options.isTty) io.err(progressLine(index, inputs.length, started));
    },
  );
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
 * DIR/summary.csv: one row per finding or measurement of each model on each image (one row
 * for an image no model ran on), with the image's patient id, eye and view. A value that was
 * not made keeps its row with an empty score and the code and message saying why (a model
 * refused by its intended use, a ratio withheld on a lateral film: CTR_NOT_FRONTAL).
 * Cells come from file names and error messages, so a cell that a
 * spreadsheet would run as a formula (starting with =, +, -, @, tab or CR) gets a leading
 * apostrophe (OWASP CSV injection); numbers, negative ones included, stay numbers.
 */
export async function writeSummary(out: string, entries: SummaryLine[]): Promise<void> {
  const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
  const neutralise = (text: string) =>
    /^[=+\-@\t\r]/.test(text) && !NUMBER.test(text) ? `'${text}` : text;
  const quote = (v: unknown) => `"${neutralise(String(v ?? '')).replace(/"/g, '""')}"`;
  const header = [
    'input',
    'status',
    'output_folder',
    'patient_id',
    'eye',
    'view',
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
    const image = [e.image?.patientId, e.image?.eye, e.image?.view];
    const results = (e.results as ResultRow[] | undefined) ?? [];
    if (!results.length)
      rows.push(
        [e.input, e.status, e.outputs, ...image, '', '', '', '', '', '', '', e.code, e.message]
          .map(quote)
          .join(','),
      );
    for (const r of results)
      rows.push(
        [
          e.input,
          e.status,
          e.outputs,
          ...image,
          r.model,
          r.version,
          r.backend,
          r.label,
          Number.isFinite(r.score) ? r.score.toFixed(6) : '',
          r.positive ?? '',
          r.ms,
          r.code ?? '',
          r.message ?? '',
        ]
          .map(quote)
          .join(','),
      );
  }
  await writeFile(join(out, 'summary.csv'), `${rows.join('\n')}\n`);
}
