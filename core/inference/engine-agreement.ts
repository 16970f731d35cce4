/**
 * At install, a package is run on every engine the installing process has (WASM under Node
 * always; onnxruntime-node where it is installed) on the same deterministic inputs, and the
 * largest |difference| of any output value between any two engines is recorded. Beyond the
 * package's tolerance the package is not activated: a model whose answer depends on where it
 * runs would give the reader one number and the batch CLI another.
 *
 * The default tolerance, 1e-3, is an order of magnitude above what float32 kernels of two
 * runtimes differ by on the shipped convolutional models (reductions summed in another order)
 * and an order below the smallest step a reader sees (a probability shown to two decimals).
 */
import { createNativeNodeEngine } from './engine-native-node.ts';
import { createWasmNodeEngine } from './engine-wasm-node.ts';
import type { InferenceEngine } from './portable/engine.ts';
import {
  generateInput,
  type GeneratedInput,
  type ModelManifest,
} from './portable/package-schema.ts';

export const DEFAULT_ENGINE_TOLERANCE = 1e-3;

export interface EngineCheck {
  engines: string[];
  inputs: number;
  /** null when only one engine was available: nothing to compare. */
  maxAbsDifference: number | null;
  tolerance: number;
  toleranceSource: 'manifest' | 'default';
  passed: boolean;
  checkedAt: string;
  notes: string[];
}

/** The engines of this process: WASM, and onnxruntime-node when it loads. */
export async function availableEngines(): Promise<{ engines: InferenceEngine[]; notes: string[] }> {
  const engines: InferenceEngine[] = [createWasmNodeEngine()];
  const notes: string[] = [];
  try {
    engines.push(await createNativeNodeEngine());
  } catch (error) {
    notes.push(`onnxruntime-node not compared: ${(error as Error).message}`);
  }
  return { engines, notes };
}

/** The self-test inputs, then the other generators, each once: at most four inputs. */
function sampleInputs(manifest: ModelManifest): GeneratedInput[] {
  const inputs: GeneratedInput[] = [];
  const seen = new Set<string>();
  const add = (input: GeneratedInput) => {
    const key = JSON.stringify(input);
    if (seen.has(key) || inputs.length >= 4) return;
    inputs.push(input);
    seen.add(key);
  };
  manifest.selfTest.forEach((t) => add(t.input));
  for (const generator of ['ramp', 'checkerboard', 'top-left-bright', 'constant'] as const)
    add({ generator });
  return inputs;
}

export async function checkEngineAgreement(
  manifest: ModelManifest,
  onnx: Uint8Array,
  available: { engines: InferenceEngine[]; notes: string[] },
  now: () => Date = () => new Date(),
): Promise<EngineCheck> {
  const tolerance = manifest.engineTolerance ?? DEFAULT_ENGINE_TOLERANCE;
  const notes = [...available.notes];
  const sessions = [];
  for (const engine of available.engines) {
    try {
      sessions.push(await engine.createSession(onnx));
    } catch (error) {
      notes.push(`${engine.backend} could not load the model: ${(error as Error).message}`);
    }
  }
  const { channels, height, width, name } = manifest.input;
  const inputs = sampleInputs(manifest);
  let max: number | null = sessions.length > 1 ? 0 : null;
  /** Outputs that cannot be compared value by value (another shape, NaN on one side). */
  let incomparable = false;
  try {
    for (const input of inputs) {
      const feeds = {
        [name]: {
          dims: [1, channels, height, width],
          data: generateInput(input, channels, height, width),
        },
      };
      const outputs = [];
      for (const session of sessions) outputs.push(await session.run(feeds));
      for (const other of outputs.slice(1))
        for (const [output, tensor] of Object.entries(outputs[0]!)) {
          const theirs = other[output]?.data;
          if (!theirs || theirs.length !== tensor.data.length) {
            notes.push(`${output}: the engines give outputs of different shapes`);
            incomparable = true;
            continue;
          }
          let notANumber = false;
          tensor.data.forEach((v, i) => {
            const difference = Math.abs(v - theirs[i]!);
            if (Number.isNaN(difference)) notANumber = true;
            else max = Math.max(max!, difference);
          });
          if (notANumber) {
            incomparable = true;
            notes.push(`${output}: not a number on one engine`);
          }
        }
    }
  } finally {
    await Promise.all(sessions.map((s) => s.release()));
  }
  if (sessions.length < 2) notes.push('one engine only: nothing to compare');
  return {
    engines: sessions.map((s) => s.backend),
    inputs: inputs.length,
    maxAbsDifference: max,
    tolerance,
    toleranceSource: manifest.engineTolerance === undefined ? 'default' : 'manifest',
    passed: sessions.length > 0 && !incomparable && (max === null || max <= tolerance),
    checkedAt: now().toISOString(),
    notes,
  };
}
