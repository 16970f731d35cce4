/**
 * Installed model packages under models/<id>/<version>/ (bundled ones may sit directly in
 * models/<id>/). Listing loads and verifies each; a broken one is listed with its error
 * while the others keep working. Importing verifies in full before copying, and never
 * replaces a package with the same id and version.
 */
import { cp, mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { expandZip, isZip } from '../library/archives.ts';
import type { InferenceEngine } from './portable/engine.ts';
import { loadModelPackage, type LoadedModel } from './load-package.ts';
import { ModelError } from './model-errors.ts';
import { pathInside } from '../security/safe-file-name.ts';

export type RegistryEntry =
  { ok: true; model: LoadedModel } | { ok: false; folder: string; code: string; message: string };

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

/** Every folder under root that holds a manifest.json (depth ≤ 2). */
async function packageFolders(root: string): Promise<string[]> {
  if (!(await isDirectory(root))) return [];
  const found: string[] = [];
  for (const id of (await readdir(root)).sort()) {
    const idFolder = join(root, id);
    if (!(await isDirectory(idFolder))) continue;
    const names = await readdir(idFolder);
    if (names.includes('manifest.json')) found.push(idFolder);
    for (const version of names.sort()) {
      const folder = join(idFolder, version);
      if ((await isDirectory(folder)) && (await readdir(folder)).includes('manifest.json'))
        found.push(folder);
    }
  }
  return found;
}

export interface ModelRegistry {
  list(): Promise<RegistryEntry[]>;
  importPackage(sourceFolder: string): Promise<LoadedModel>;
}

export function createModelRegistry(root: string, engine: InferenceEngine): ModelRegistry {
  const load = async (folder: string): Promise<RegistryEntry> => {
    try {
      return { ok: true, model: await loadModelPackage(folder, engine) };
    } catch (error) {
      const { code = 'MODEL_PACKAGE_UNREADABLE', message } = error as {
        code?: string;
        message: string;
      };
      return { ok: false, folder, code, message };
    }
  };
  return {
    async list() {
      return Promise.all((await packageFolders(root)).map(load));
    },
    async importPackage(sourceFolder) {
      const candidate = await loadModelPackage(sourceFolder, engine); // throws its specific ModelError
      const { id, version } = candidate.manifest;
      const installed = (await this.list()).find(
        (e) => e.ok && e.model.manifest.id === id && e.model.manifest.version === version,
      );
      if (installed) {
        await candidate.session.release();
        throw new ModelError(
          'MODEL_ALREADY_INSTALLED',
          `${id} ${version} is already installed; a changed model needs a new version number`,
          sourceFolder,
        );
      }
      const target = join(root, id, version);
      await mkdir(target, { recursive: true });
      await cp(join(sourceFolder, 'manifest.json'), join(target, 'manifest.json'));
      await cp(join(sourceFolder, 'model.onnx'), join(target, 'model.onnx'));
      for (const extra of ['CARD.md'])
        await cp(join(sourceFolder, extra), join(target, extra)).catch(() => undefined);
      return { ...candidate, folder: target };
    },
  };
}

/**
 * A package sent as a zip: expanded into a scratch folder (zip-bomb limits apply), the
 * folder holding manifest.json found (at the root or one level down), then imported.
 */
export async function installPackageZip(
  registry: ModelRegistry,
  name: string,
  zip: Uint8Array,
): Promise<LoadedModel> {
  if (!isZip(zip))
    throw new ModelError(
      'MODEL_PACKAGE_UNREADABLE',
      `${name} is not a zip archive of a model package (manifest.json + model.onnx)`,
      name,
    );
  const scratch = await mkdtemp(join(tmpdir(), 'neoscope-package-'));
  try {
    for (const entry of expandZip(zip, '')) {
      const path = pathInside(scratch, entry.name.replace(/^\//, '')); // expandZip names entries `<prefix>/<entry>`
      if (!path)
        throw new ModelError(
          'MODEL_PACKAGE_UNREADABLE',
          `${name}: entry ${JSON.stringify(entry.name)} would be written outside the package folder`,
          name,
        );
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, entry.bytes);
    }
    const manifests = (await readdir(scratch, { recursive: true })).filter(
      (p) => basename(String(p)) === 'manifest.json',
    );
    if (manifests.length !== 1)
      throw new ModelError(
        'MODEL_PACKAGE_UNREADABLE',
        `${name} must hold exactly one manifest.json (found ${manifests.length})`,
        name,
      );
    return await registry.importPackage(join(scratch, dirname(String(manifests[0]))));
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
