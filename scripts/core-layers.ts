/**
 * The layer rules inside core/, checked over its whole import graph: each folder sits in one
 * tier of scripts/core-layers.json and imports only its own tier and those below; the folders
 * import each other without cycles; production code never imports test harness code (tests,
 * testing/, bench/, fuzz/), which itself may reach any folder. An import the rules refuse but
 * that cannot move yet is listed in the table's `allow` with its reason, file by file; an
 * allowance no import uses any more is reported, so the list only shrinks.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { posix } from 'node:path';
import table from './core-layers.json' with { type: 'json' };

export interface LayerTable {
  tiers: { name: string; folders: string[]; holds?: string }[];
  harness: { folders: string[]; segments: string[]; fileSuffixes: string[] };
  allow: { from: string; to: string; reason: string }[];
}

export const CORE_LAYERS: LayerTable = table;

export interface ImportEdge {
  /** Project-relative posix paths. */
  from: string;
  to: string;
}

export interface LayerProblem {
  kind: 'upward' | 'cycle' | 'harness' | 'undeclared' | 'stale-allowance';
  message: string;
}

const STATIC_IMPORT = /^[ \t]*(?:import|export)\b[^;'"]*?(?:\bfrom\s*)?['"]([^'"\n]+)['"]/gm;
const DYNAMIC_IMPORT = /\bimport\(\s*['"]([^'"\n]+)['"]\s*\)/g;

/** The relative specifiers of a source file's imports and re-exports, static and dynamic. */
export function relativeImports(source: string): string[] {
  const found: string[] = [];
  for (const pattern of [STATIC_IMPORT, DYNAMIC_IMPORT])
    for (const match of source.matchAll(pattern))
      if (match[1]!.startsWith('.')) found.push(match[1]!);
  return found;
}

/** Every import from a core file to another core file. */
export function coreImportGraph(files: ReadonlyMap<string, string>): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const [from, source] of files)
    for (const specifier of relativeImports(source)) {
      const to = posix.normalize(posix.join(posix.dirname(from), specifier));
      if (to.startsWith('core/')) edges.push({ from, to });
    }
  return edges;
}

/** core/<folder>/… → folder ('' for a file directly in core/). */
export function folderOf(file: string): string {
  const parts = file.split('/');
  return parts.length > 2 ? parts[1]! : '';
}

export function isHarness(file: string, harness = CORE_LAYERS.harness): boolean {
  if (harness.fileSuffixes.some((suffix) => file.endsWith(suffix))) return true;
  if (harness.folders.includes(folderOf(file))) return true;
  return file
    .split('/')
    .slice(2, -1)
    .some((segment) => harness.segments.includes(segment));
}

function tierIndex(layers: LayerTable): Map<string, number> {
  const index = new Map<string, number>();
  layers.tiers.forEach((tier, i) => tier.folders.forEach((folder) => index.set(folder, i)));
  return index;
}

/** Strongly connected folder groups of more than one folder (Tarjan), each as a cycle path. */
function folderCycles(edges: ImportEdge[]): string[][] {
  const next = new Map<string, Set<string>>();
  for (const { from, to } of edges) {
    const a = folderOf(from);
    const b = folderOf(to);
    if (a !== b) next.set(a, (next.get(a) ?? new Set()).add(b));
  }
  const order = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  const visit = (v: string) => {
    order.set(v, order.size);
    low.set(v, order.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!order.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, order.get(w)!));
    }
    if (low.get(v) === order.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1) groups.push(group.sort());
    }
  };
  for (const v of [...next.keys()].sort()) if (!order.has(v)) visit(v);
  return groups;
}

export function checkCoreLayers(
  files: ReadonlyMap<string, string>,
  layers: LayerTable = CORE_LAYERS,
): LayerProblem[] {
  const problems: LayerProblem[] = [];
  const tiers = tierIndex(layers);
  const allowed = (edge: ImportEdge) =>
    layers.allow.some((a) => a.from === edge.from && a.to === edge.to);
  const production = [...files.keys()].filter((file) => !isHarness(file, layers.harness));

  for (const folder of new Set(production.map(folderOf)))
    if (!tiers.has(folder))
      problems.push({
        kind: 'undeclared',
        message: `core/${folder || '(root)'} is in no tier of scripts/core-layers.json: place it in the tier of what it holds`,
      });

  const edges = coreImportGraph(files).filter((edge) => !isHarness(edge.from, layers.harness));
  for (const edge of edges) {
    if (isHarness(edge.to, layers.harness) && !allowed(edge))
      problems.push({
        kind: 'harness',
        message: `${edge.from} imports test harness code ${edge.to}`,
      });
  }
  const counted = edges.filter((edge) => !allowed(edge) && !isHarness(edge.to, layers.harness));
  for (const edge of counted) {
    const a = tiers.get(folderOf(edge.from));
    const b = tiers.get(folderOf(edge.to));
    if (a === undefined || b === undefined || b <= a) continue;
    problems.push({
      kind: 'upward',
      message: `${edge.from} imports ${edge.to}: ${folderOf(edge.to)} (${layers.tiers[b]!.name}) sits above ${folderOf(edge.from)} (${layers.tiers[a]!.name})`,
    });
  }
  for (const group of folderCycles(counted)) {
    const inGroup = new Set(group);
    const examples = counted
      .filter((e) => folderOf(e.from) !== folderOf(e.to))
      .filter((e) => inGroup.has(folderOf(e.from)) && inGroup.has(folderOf(e.to)))
      .map((e) => `${e.from} → ${e.to}`);
    problems.push({
      kind: 'cycle',
      message: `core folders import each other in a cycle: ${group.join(', ')} (${examples.join('; ')})`,
    });
  }
  const all = coreImportGraph(files);
  for (const allowance of layers.allow)
    if (!all.some((e) => e.from === allowance.from && e.to === allowance.to))
      problems.push({
        kind: 'stale-allowance',
        message: `the allowance ${allowance.from} → ${allowance.to} matches no import any more: remove it`,
      });
  return problems;
}

/** Every .ts/.tsx file under core/, by project-relative path. */
export function readCoreSources(projectRoot: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (relativeDir: string) => {
    for (const entry of readdirSync(posix.join(projectRoot, relativeDir), {
      withFileTypes: true,
    })) {
      const path = posix.join(relativeDir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts'))
        files.set(path, readFileSync(posix.join(projectRoot, path), 'utf8'));
    }
  };
  walk('core');
  return files;
}
