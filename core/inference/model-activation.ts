/**
 * Which installed version of each model analyses exams. Installing a new version of a model
 * the site already has does not switch to it: it waits as a candidate until an admin has seen
 * it run on the site's signed cases beside the active version and chooses (models.activate,
 * audited). A model's first version is active at once, unless its engines disagreed at
 * install (engine-agreement.ts).
 *
 * Kept in the models folder, beside the packages, so the workstation and the CLI read the
 * same choice: <models>/activation.json names the active version per id, and each installed
 * version's <folder>/engine-check.json records its check. An id without a recorded choice
 * (the bundled packages) has its highest version active, among those whose check did not fail.
 */
import { existsSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EngineCheck } from './engine-agreement.ts';
import type { LoadedModel } from './load-package.ts';
import { ModelError } from './model-errors.ts';
import type { RegistryEntry } from './registry.ts';

export type ActivationState = 'active' | 'candidate' | 'previous';

export interface ActivationRecord {
  schema: 'neoscope.model-activation/1';
  active: Record<string, { version: string; at: string; by: string }>;
}

const EMPTY: ActivationRecord = { schema: 'neoscope.model-activation/1', active: {} };

export const activationPath = (modelsFolder: string) => join(modelsFolder, 'activation.json');
export const engineCheckPath = (packageFolder: string) => join(packageFolder, 'engine-check.json');

export async function readActivation(modelsFolder: string): Promise<ActivationRecord> {
  const path = activationPath(modelsFolder);
  if (!existsSync(path)) return structuredClone(EMPTY);
  const parsed = JSON.parse(await readFile(path, 'utf8')) as ActivationRecord;
  return { ...EMPTY, ...parsed, active: { ...parsed.active } };
}

async function writeActivation(modelsFolder: string, record: ActivationRecord): Promise<void> {
  const path = activationPath(modelsFolder);
  await writeFile(`${path}.partial`, `${JSON.stringify(record, null, 2)}\n`);
  await rename(`${path}.partial`, path); // a reader sees the old choice or the new, never half
}

export async function readEngineCheck(packageFolder: string): Promise<EngineCheck | undefined> {
  const path = engineCheckPath(packageFolder);
  return existsSync(path) ? (JSON.parse(await readFile(path, 'utf8')) as EngineCheck) : undefined;
}

export async function writeEngineCheck(packageFolder: string, check: EngineCheck): Promise<void> {
  await writeFile(engineCheckPath(packageFolder), `${JSON.stringify(check, null, 2)}\n`);
}

/** Semantic version order (pre-release after nothing: 1.0.0-rc < 1.0.0). */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const [core, pre] = v.split('-', 2);
    return { parts: core!.split('.').map(Number), pre };
  };
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < 3; i++) {
    const d = (x.parts[i] ?? 0) - (y.parts[i] ?? 0);
    if (d) return d;
  }
  if (x.pre === y.pre) return 0;
  if (x.pre === undefined) return 1;
  if (y.pre === undefined) return -1;
  return x.pre < y.pre ? -1 : 1;
}

export interface InstalledVersion {
  model: LoadedModel;
  state: ActivationState;
  engineCheck?: EngineCheck;
}

/** Every verified package with its state; broken ones are left out (they run nowhere). */
export async function activationStates(
  modelsFolder: string,
  entries: RegistryEntry[],
): Promise<InstalledVersion[]> {
  const record = await readActivation(modelsFolder);
  const loaded = entries.flatMap((e) => (e.ok ? [e.model] : []));
  const checked = await Promise.all(
    loaded.map(async (model) => ({ model, engineCheck: await readEngineCheck(model.folder) })),
  );
  const out: InstalledVersion[] = [];
  for (const id of [...new Set(loaded.map((m) => m.manifest.id))]) {
    const versions = checked.filter((c) => c.model.manifest.id === id);
    const chosen = record.active[id]?.version;
    const active =
      versions.find((v) => v.model.manifest.version === chosen) ??
      (chosen === undefined
        ? versions
            .filter((v) => v.engineCheck?.passed !== false)
            .sort((a, b) => compareVersions(b.model.manifest.version, a.model.manifest.version))[0]
        : undefined);
    for (const v of versions) {
      const state: ActivationState =
        v === active
          ? 'active'
          : active && compareVersions(v.model.manifest.version, active.model.manifest.version) < 0
            ? 'previous'
            : 'candidate';
      out.push({ model: v.model, state, ...(v.engineCheck ? { engineCheck: v.engineCheck } : {}) });
    }
  }
  return out;
}

/** The packages that analyse exams: the active version of each model. */
export async function activeModels(
  modelsFolder: string,
  entries: RegistryEntry[],
): Promise<RegistryEntry[]> {
  const states = await activationStates(modelsFolder, entries);
  const active = new Set(states.filter((s) => s.state === 'active').map((s) => s.model.folder));
  return entries.filter((e) => e.ok && active.has(e.model.folder));
}

/**
 * After a package was installed (and its engine check written): a new version of a model the
 * site has waits as a candidate, the version that analysed exams until now stays active (its
 * choice is written down, so a higher version number does not take over); a new model is
 * active at once when its check passed.
 */
export async function settleAfterInstall(
  modelsFolder: string,
  entriesBefore: RegistryEntry[],
  installed: { id: string; version: string; engineCheck: EngineCheck },
  by: string,
  now: () => Date = () => new Date(),
): Promise<ActivationState> {
  const record = await readActivation(modelsFolder);
  const before = await activationStates(modelsFolder, entriesBefore);
  const current = before.find((v) => v.model.manifest.id === installed.id && v.state === 'active');
  if (current) {
    if (!record.active[installed.id]) {
      const { version } = current.model.manifest;
      record.active[installed.id] = { version, at: now().toISOString(), by };
      await writeActivation(modelsFolder, record);
    }
    return 'candidate';
  }
  if (!installed.engineCheck.passed) return 'candidate';
  record.active[installed.id] = { version: installed.version, at: now().toISOString(), by };
  await writeActivation(modelsFolder, record);
  return 'active';
}

/** The admin's choice; returns the version it replaces. Refused when the engines disagreed. */
export async function activateVersion(
  modelsFolder: string,
  entries: RegistryEntry[],
  id: string,
  version: string,
  by: string,
  now: () => Date = () => new Date(),
): Promise<{ previous: string | null; engineCheck?: EngineCheck }> {
  const states = await activationStates(modelsFolder, entries);
  const target = states.find(
    (s) => s.model.manifest.id === id && s.model.manifest.version === version,
  );
  if (!target)
    throw new ModelError(
      'MODEL_NOT_INSTALLED',
      `${id} ${version} is not an installed, verified package`,
    );
  const check = target.engineCheck;
  if (check && !check.passed)
    throw new ModelError(
      'MODEL_ENGINES_DISAGREE',
      `${id} ${version} is not activated: at install its engines (${check.engines.join(', ')}) differed by ${check.maxAbsDifference ?? 'an incomparable output'}, beyond its tolerance ${check.tolerance}${check.notes.length ? ` (${check.notes.join('; ')})` : ''}`,
    );
  const previous = states.find((s) => s.model.manifest.id === id && s.state === 'active');
  const record = await readActivation(modelsFolder);
  record.active[id] = { version, at: now().toISOString(), by };
  await writeActivation(modelsFolder, record);
  return {
    previous: previous ? previous.model.manifest.version : null,
    ...(check ? { engineCheck: check } : {}),
  };
}
