/**
 * Loads a model package and proves it before anything uses it, in this order, each
 * failure with its own code: manifest JSON and schema (MODEL_SCHEMA_INVALID), SHA-256 of
 * model.onnx (MODEL_HASH_MISMATCH), ONNX Runtime can load it (MODEL_CORRUPT), the names
 * the manifest uses exist in the graph (MODEL_SCHEMA_INVALID), and every self-test vector
 * reproduces its expected output within tolerance (MODEL_SELF_TEST_FAILED).
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { InferenceEngine, ModelSession } from './portable/engine.ts';
import { ModelError } from './model-errors.ts';
import { manifestSchema, type ModelManifest } from './portable/package-schema.ts';
import { runSelfTests } from './portable/self-test.ts';

export interface LoadedModel {
  manifest: ModelManifest;
  session: ModelSession;
  folder: string;
}

async function readPackageFile(folder: string, name: string): Promise<Buffer> {
  try {
    return await readFile(join(folder, name));
  } catch (error) {
    throw new ModelError(
      'MODEL_PACKAGE_UNREADABLE',
      `${name} cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      join(folder, name),
    );
  }
}

export function parseManifest(text: string, where: string): ModelManifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ModelError(
      'MODEL_SCHEMA_INVALID',
      `manifest.json is not valid JSON: ${(error as Error).message}`,
      where,
    );
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new ModelError(
      'MODEL_SCHEMA_INVALID',
      `manifest.json does not match ${'neoscope.model-package/1'}: ${issues.join('; ')}`,
      where,
    );
  }
  return parsed.data;
}

function checkNames(manifest: ModelManifest, session: ModelSession, where: string): void {
  const missing = [
    ...(!session.inputNames.includes(manifest.input.name)
      ? [`input "${manifest.input.name}"`]
      : []),
    ...manifest.outputs
      .filter((o) => !session.outputNames.includes(o.name))
      .map((o) => `output "${o.name}"`),
  ];
  if (missing.length) {
    throw new ModelError(
      'MODEL_SCHEMA_INVALID',
      `manifest names ${missing.join(', ')}, which the model does not have (inputs: ${session.inputNames.join(', ')}; outputs: ${session.outputNames.join(', ')})`,
      where,
    );
  }
}

export async function loadModelPackage(
  folder: string,
  engine: InferenceEngine,
): Promise<LoadedModel> {
  const where = join(folder, 'manifest.json');
  const manifest = parseManifest(
    (await readPackageFile(folder, 'manifest.json')).toString('utf8'),
    where,
  );
  const onnx = await readPackageFile(folder, 'model.onnx');
  const digest = createHash('sha256').update(onnx).digest('hex');
  if (digest !== manifest.sha256) {
    throw new ModelError(
      'MODEL_HASH_MISMATCH',
      `model.onnx has SHA-256 ${digest.slice(0, 12)}…, the manifest says ${manifest.sha256.slice(0, 12)}…: the file changed or is not the one the manifest describes`,
      join(folder, 'model.onnx'),
    );
  }
  let session: ModelSession;
  try {
    session = await engine.createSession(new Uint8Array(onnx));
  } catch (error) {
    throw new ModelError(
      'MODEL_CORRUPT',
      `model.onnx cannot be loaded by ONNX Runtime: ${String((error as Error)?.message ?? error).slice(0, 200)}`,
      join(folder, 'model.onnx'),
    );
  }
  try {
    checkNames(manifest, session, where);
    const failure = await runSelfTests(manifest, session);
    if (failure) throw new ModelError('MODEL_SELF_TEST_FAILED', failure, where);
  } catch (error) {
    await session.release();
    throw error;
  }
  return { manifest, session, folder };
}
