/**
 * The installed model packages of one workstation process: verified once (loading proves
 * schema, hash and self-tests) and listed from then on; installing a package re-reads them.
 * `active` is what analyses exams: the active version of each model (a candidate runs only
 * when an admin compares it, core/workstation/model-comparison.ts).
 */
import { createWasmNodeEngine } from '../inference/engine-wasm-node.ts';
import { activeModels } from '../inference/model-activation.ts';
import {
  createModelRegistry,
  installPackageZip,
  type RegistryEntry,
} from '../inference/registry.ts';
import type { ModelSummary } from '../reports/pdf-report.ts';

export interface InstalledPackage {
  id: string;
  version: string;
  name: string;
  sha256: string;
}

export interface ModelCatalogue {
  /** Where the packages are installed (models/<id>-<version>/, activation.json, slots/). */
  readonly folder: string;
  list(): Promise<RegistryEntry[]>;
  active(): Promise<RegistryEntry[]>;
  /** Verifies and installs a package from a zip, never over an installed id and version. */
  install(name: string, zip: Uint8Array): Promise<InstalledPackage>;
}

export function modelCatalogue(folder: string): ModelCatalogue {
  const registry = createModelRegistry(folder, createWasmNodeEngine());
  let verified: Promise<RegistryEntry[]> | undefined;
  const list = () => (verified ??= registry.list());
  return {
    folder,
    list,
    active: async () => activeModels(folder, await list()),
    async install(name, zip) {
      const installed = await installPackageZip(registry, name, zip);
      await installed.session.release();
      verified = undefined; // the next list verifies the new package with the others
      const { id, version, name: title, sha256 } = installed.manifest;
      return { id, version, name: title, sha256 };
    },
  };
}

/** A workstation with a fixed list of packages and nowhere to install more (previews, tests). */
export function fixedModelCatalogue(folder: string, entries: RegistryEntry[] = []): ModelCatalogue {
  return {
    folder,
    list: async () => entries,
    active: async () => activeModels(folder, entries),
    install: async () => {
      throw new Error('this workstation installs no model packages');
    },
  };
}

/**
 * The models a signed report names, as its PDF lists them: name, intended use and whether the
 * package is investigational, from the installed package; a package no longer installed is
 * named by its id and counted investigational.
 */
export function describeModels(
  refs: { id: string; version: string; sha256: string }[],
  entries: RegistryEntry[],
): ModelSummary[] {
  return refs.map((m) => {
    const entry = entries.find(
      (e) => e.ok && e.model.manifest.id === m.id && e.model.manifest.version === m.version,
    );
    const manifest = entry?.ok ? entry.model.manifest : undefined;
    return {
      ...m,
      name: manifest?.name ?? m.id,
      investigational: manifest?.investigational ?? true,
      intendedUse: manifest?.intendedUse ?? 'package no longer installed',
    };
  });
}
