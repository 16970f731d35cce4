/**
 * "Run AI measurements" on one report: every installed model of the report's domain runs on
 * the first image of each eye (retina) or on the film (chest); its measurements and slot heads
 * fill the AI column of the matching fields — for ROP only the section of the eye the image
 * shows — with an overlay image per image and model, and a note wherever a value cannot be had
 * (no model for a slot, a measurement that failed, an image whose eye is unknown).
 *
 * Before a model runs on an image, the intended-use gate (core/inference/intended-use.ts) is
 * asked with the image's header and the infant's record: a package that refuses images outside
 * its scope is skipped with a note saying why; otherwise a doubt (outside, or not confirmed)
 * is a note beside the AI values and is recorded with each value it produced, so the signed
 * report, its PDF and its SR carry it too.
 */
import sharp from 'sharp';
import { toApiErrorBody } from '../base/errors.ts';
import type { DecodedFrame, InstanceSummary } from '../base/schemas.ts';
import { parseDicomBytes } from '../dicom/parse.ts';
import { analyzeImage } from '../inference/analyze-image.ts';
import { intendedUseDecision } from '../inference/intended-use.ts';
import {
  headerFacts,
  intendedUseContextOf,
  type ImageFacts,
} from '../inference/intended-use-context.ts';
import type { ModelManifest } from '../inference/portable/package-schema.ts';
import type { Finding } from '../inference/portable/interpret.ts';
import type { LoadedModel } from '../inference/load-package.ts';
import type { Library } from '../library/library.ts';
import {
  deriveMeasurement,
  type DerivedMeasurement,
  type MeasurementKind,
  type ProbabilityMapOnImage,
} from '../measurements/derive-measurements.ts';
import type { MeasurementContext } from '../inference/worker/measurement-worker-protocol.ts';
import type { ReaderDisc } from '../measurements/vascular/vascular-metrics.ts';
import type { AnnotationStore } from '../annotations/annotation-store.ts';
import { overlayImage } from '../reports/overlay-image.ts';
import { fieldsFor, type FieldSpec } from '../reports/grading-fields.ts';
import type { Draft, ReviewService } from '../review/review-service.ts';
import type { GradedField } from '../reports/signed-reports.ts';
import type { PatientRecord } from '../patients/trajectory.ts';
import { eyeOf, type Eye } from '../vocabulary/visit.ts';
import type { ReadDomain } from '../vocabulary/domains.ts';

/** For each class-score output: the most likely label and its probability, in output order. */
function headPredictions(
  manifest: ModelManifest,
  findings: Finding[],
): Map<string, { label: string; confidence: number }> {
  const out = new Map<string, { label: string; confidence: number }>();
  let at = 0;
  for (const output of manifest.outputs) {
    if (output.kind !== 'probability' && output.kind !== 'logits') continue;
    const n = output.labels?.length ?? 0;
    const scores = findings.slice(at, at + n);
    at += n;
    const best = scores.reduce((a, b) => (b.score > a.score ? b : a), scores[0]!);
    if (best) out.set(output.name, { label: best.label, confidence: best.score });
  }
  return out;
}

/**
 * The optic disc the reader placed on this image: the latest saved disc ruler (two opposite
 * edges of the disc), so "the reader clicks it and the metrics recompute" uses the tool the
 * reader already has. Undefined when none is saved.
 */
function readerDisc(
  annotations: AnnotationStore | undefined,
  instanceId: string,
): ReaderDisc | undefined {
  const ruler = annotations
    ?.list(instanceId)
    .filter((a) => a.kind === 'disc-ruler')
    .at(-1);
  if (!ruler) return undefined;
  const [a, b] = ruler.points as [{ x: number; y: number }, { x: number; y: number }];
  return { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2, radiusPx: Math.hypot(a.x - b.x, a.y - b.y) / 2 };
}

/** The images a report's models run on: the first of each eye (retina), else the first. */
export function imagesToAnalyse(
  domain: ReadDomain,
  images: InstanceSummary[],
): { image: InstanceSummary; eye?: Eye }[] {
  if (domain === 'chest') return images.length ? [{ image: images[0]! }] : [];
  const picked: { image: InstanceSummary; eye?: Eye }[] = [];
  for (const eye of ['OD', 'OS'] as const) {
    const first = images.find((i) => eyeOf(i) === eye);
    if (first) picked.push({ image: first, eye });
  }
  return picked;
}

function measuredValue(
  source: { key: string },
  derived: DerivedMeasurement,
): string | number | null {
  if (derived.kind === 'cardiothoracic-ratio' && source.key === 'ratio')
    return Number(derived.measurement.ratio.toFixed(2));
  if (derived.kind === 'retinal-vascular-metrics') {
    const severity = derived.metrics.severity;
    if (source.key === 'meanTortuosityIndex' && severity.meanTortuosityIndex !== null)
      return Number(severity.meanTortuosityIndex.toFixed(3));
    if (source.key === 'category') return severity.category;
  }
  return null;
}

/** What the gate reads about an image: the library's summary, and its header where it is DICOM. */
export async function imageFactsOf(
  library: Pick<Library, 'bytes'>,
  image: InstanceSummary,
): Promise<ImageFacts> {
  const summary: ImageFacts = {
    domain: image.domain,
    ...(image.modality ? { modality: image.modality } : {}),
    ...(image.studyDate ? { studyDate: image.studyDate } : {}),
  };
  try {
    const parsed = parseDicomBytes(await library.bytes(image.instanceId), image.fileName);
    const header = headerFacts(parsed, image.domain);
    return {
      ...header,
      modality: header.modality ?? summary.modality,
      studyDate: header.studyDate ?? summary.studyDate,
    };
  } catch {
    return summary; // not readable as DICOM here: the summary's facts are all there is
  }
}

type AiValue = NonNullable<GradedField['ai']>;
export type IntendedUseMark = Pick<AiValue, 'outsideIntendedUse' | 'intendedUseNotConfirmed'>;

/** The gate's answer for one model on one image: skip it (with why), or run it with any doubt. */
export type GateOutcome =
  { run: false; note: string } | { run: true; note?: string; mark: IntendedUseMark };

export function intendedUseGate(
  manifest: ModelManifest,
  facts: ImageFacts,
  patient: PatientRecord | undefined,
): GateOutcome {
  try {
    const decision = intendedUseDecision(manifest, intendedUseContextOf(facts, patient));
    if (decision.status === 'within') return { run: true, mark: {} };
    const reason = decision.reasons.join('; ');
    return decision.status === 'outside'
      ? {
          run: true,
          note: `${manifest.id}: outside intended use (${reason})`,
          mark: { outsideIntendedUse: reason },
        }
      : {
          run: true,
          note: `${manifest.id}: intended use not confirmed (${reason})`,
          mark: { intendedUseNotConfirmed: reason },
        };
  } catch (error) {
    return { run: false, note: toApiErrorBody(error).message };
  }
}

export interface ImagePrediction {
  /** AI values for the form fields of the image's section. */
  values: { field: string; value: string | number; confidence?: number }[];
  notes: string[];
  /** The result drawn on the image, per measurement (only when asked for). */
  overlays: { png: Uint8Array; description: string }[];
}

/** Computes a declared measurement from a map; the service's runs on its measurement worker. */
export type MeasureFn = (
  kind: MeasurementKind,
  frame: DecodedFrame,
  map: ProbabilityMapOnImage,
  context: MeasurementContext,
) => Promise<DerivedMeasurement>;

const measureHere: MeasureFn = async (kind, frame, map, context) =>
  deriveMeasurement(kind, frame, map, context);

/**
 * One model on one image: the values of the fields its measurements and slot heads fill in
 * the section of the image's eye (retina) or the film's form (chest). Stores nothing.
 */
export async function predictImage(deps: {
  /** The reader's saved disc rulers (absent: the model finds the disc itself). */
  annotations?: AnnotationStore;
  frame: DecodedFrame;
  model: LoadedModel;
  image: InstanceSummary;
  eye?: Eye;
  domain: ReadDomain;
  overlays: boolean;
  measure?: MeasureFn;
}): Promise<ImagePrediction> {
  const { frame, model, image, eye } = deps;
  const m = model.manifest;
  const prefix = eye ? `${eye}: ` : '';
  const fields = fieldsFor(deps.domain).filter((spec: FieldSpec) => spec.eye === eye);
  const out: ImagePrediction = { values: [], notes: [], overlays: [] };
  const analysis = await analyzeImage(frame, model, 'none');
  for (const kind of m.measurements ?? []) {
    let derived: DerivedMeasurement;
    try {
      derived = await (deps.measure ?? measureHere)(kind, frame, analysis.probabilityMap!, {
        laterality: image.laterality,
        disc:
          kind === 'retinal-vascular-metrics'
            ? readerDisc(deps.annotations, image.instanceId)
            : undefined,
      });
    } catch (error) {
      out.notes.push(`${prefix}${m.id}: ${toApiErrorBody(error).message}`);
      continue;
    }
    if (deps.overlays) {
      const picture = overlayImage(frame, analysis.probabilityMap!, derived);
      const png = await sharp(
        Buffer.from(picture.rgb.buffer, picture.rgb.byteOffset, picture.rgb.byteLength),
        { raw: { width: picture.width, height: picture.height, channels: 3 } },
      )
        .png()
        .toBuffer();
      out.overlays.push({
        png: new Uint8Array(png),
        description:
          derived.kind === 'cardiothoracic-ratio'
            ? `lung fields and cardiothoracic lines by ${m.id} ${m.version}`
            : `${prefix}vessel centre lines coloured by tortuosity by ${m.id} ${m.version}`,
      });
    }
    if (derived.kind === 'retinal-vascular-metrics') {
      if (derived.metrics.disc.source === 'reader')
        out.notes.push(`${prefix}${m.id}: optic disc placed by the reader (saved disc ruler)`);
      if (!derived.metrics.disc.found)
        out.notes.push(
          `${prefix}${m.id}: ${derived.metrics.severity.message} (disc ruler, then Save, then Run AI measurements again)`,
        );
    }
    for (const spec of fields) {
      const source = spec.aiSource;
      if (!source || !('measurement' in source) || source.measurement !== kind) continue;
      const value = measuredValue(source, derived);
      if (value !== null) out.values.push({ field: spec.name, value });
    }
  }
  if (m.slot) {
    const heads = headPredictions(m, analysis.findings);
    for (const spec of fields) {
      const source = spec.aiSource;
      if (!source || !('slot' in source) || source.slot !== m.slot) continue;
      const prediction = heads.get(source.head);
      if (prediction)
        out.values.push({
          field: spec.name,
          value: prediction.label,
          confidence: prediction.confidence,
        });
    }
  }
  return out;
}

export interface AnalysisRun {
  latest?: Draft;
  /** Notes per model run (id@version), and notes that belong to no single run. */
  runNotes: Map<string, string[]>;
  general: string[];
}

export async function analyseReport(deps: {
  library: Library;
  annotations: AnnotationStore;
  /** Keeps an overlay PNG; answers its SHA-256. */
  storeObject: (bytes: Uint8Array) => Promise<string>;
  review: ReviewService;
  models: LoadedModel[];
  reportId: string;
  images: InstanceSummary[];
  domain: ReadDomain;
  /** The infant's record (birth date, GA at birth) for the intended-use gate; absent if none. */
  patient?: PatientRecord;
  actor: string;
  /** Told after each model run on an image (for the page's progress). */
  onProgress?: (done: number, total: number) => void;
  /** Where measurements are made (default: this thread). */
  measure?: MeasureFn;
}): Promise<AnalysisRun> {
  const { library, review, reportId, domain, actor } = deps;
  const form = fieldsFor(domain);
  const run: AnalysisRun = { runNotes: new Map(), general: [] };
  const targets = imagesToAnalyse(domain, deps.images);
  if (domain === 'retina') {
    const unknown = deps.images.filter((i) => !eyeOf(i));
    if (unknown.length)
      run.general.push(
        `${unknown.map((i) => i.fileName).join(', ')}: the eye is not recorded, so no section is filled from ${unknown.length > 1 ? 'them' : 'it'}; set OD/OS at import`,
      );
    if (!targets.length) run.general.push('no image of this visit names its eye (OD or OS)');
  }
  const facts = new Map<string, ImageFacts>();
  for (const { image } of targets) facts.set(image.instanceId, await imageFactsOf(library, image));
  const total = deps.models.length * targets.length;
  let done = 0;
  deps.onProgress?.(done, total);
  for (const model of deps.models) {
    const m = model.manifest;
    const ref = { id: m.id, version: m.version, sha256: m.sha256 };
    const notes: string[] = [];
    const note = (text: string) => {
      if (!notes.includes(text)) notes.push(text);
    };
    const gates = targets.map(({ image }) =>
      intendedUseGate(m, facts.get(image.instanceId)!, deps.patient),
    );
    // Every image's prediction starts at once, so the measurement worker measures one image
    // while the inference worker runs the next; they are stored in the images' order.
    const predictions = targets.map(async ({ image, eye }, at) =>
      gates[at]!.run
        ? predictImage({
            annotations: deps.annotations,
            frame: await library.frame(image.instanceId, 0),
            model,
            image,
            eye,
            domain,
            overlays: true,
            measure: deps.measure,
          })
        : undefined,
    );
    for (const prediction of predictions) prediction.catch(() => undefined); // awaited below
    for (const [at, { image, eye }] of targets.entries()) {
      const prefix = eye ? `${eye}: ` : '';
      const gate = gates[at]!;
      if (gate.note) note(`${prefix}${gate.note}`);
      const prediction = await predictions[at];
      if (!gate.run || !prediction) {
        deps.onProgress?.(++done, total);
        continue;
      }
      prediction.notes.forEach(note);
      for (const overlay of prediction.overlays)
        review.setOverlay(
          reportId,
          {
            instanceId: image.instanceId,
            model: ref,
            png: await deps.storeObject(overlay.png),
            description: overlay.description,
          },
          actor,
        );
      for (const { field, value, confidence } of prediction.values)
        run.latest = await review.setAi(
          reportId,
          field,
          { value, ...(confidence !== undefined ? { confidence } : {}), model: ref, ...gate.mark },
          actor,
        );
      deps.onProgress?.(++done, total);
    }
    run.runNotes.set(`${m.id}@${m.version}`, notes);
  }
  const predicted = new Set(deps.models.map((e) => e.manifest.slot).filter(Boolean));
  const missingSlots = new Set<string>();
  for (const spec of form) {
    const source = spec.aiSource;
    if (source && 'slot' in source && !predicted.has(source.slot)) missingSlots.add(source.slot);
  }
  for (const slot of missingSlots) {
    // The OD and OS fields share their labels: each is named once.
    const labels = new Set(
      form
        .filter((s) => s.aiSource && 'slot' in s.aiSource && s.aiSource.slot === slot)
        .map((s) => s.label.toLowerCase()),
    );
    run.general.push(`no model installed for ${slot}; nothing predicts ${[...labels].join(', ')}`);
  }
  return run;
}
