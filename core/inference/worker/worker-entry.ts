/**
 * Where a worker thread's code is: its built `.mjs` beside the running bundle (the build emits
 * each worker next to the host, the CLI and Electron's service), or its TypeScript source run
 * through tsx (development and tests; Node 20 workers do not inherit `--import tsx`, so a small
 * bootstrap registers it). Undefined when neither is found, so the caller can say so or run the
 * work on its own thread.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The folder of the running bundle (once built, this module is inlined in it). */
function bundleFolder(): string | undefined {
  try {
    return fileURLToPath(new URL('.', import.meta.url));
  } catch {
    // A CommonJS bundle (Electron's main.cjs) has no import.meta.url, but has __dirname.
    return typeof __dirname === 'string' ? __dirname : undefined;
  }
}

/** `builtFile`: the bundle's file name; `source`: the worker's .ts, resolved by its host module. */
export function workerEntry(builtFile: string, source: () => URL): URL | undefined {
  const folder = bundleFolder();
  if (folder && existsSync(join(folder, builtFile))) return pathToFileURL(join(folder, builtFile));
  let sourceUrl: URL;
  let tsx: string;
  try {
    sourceUrl = source();
    if (!existsSync(fileURLToPath(sourceUrl))) return undefined;
    tsx = import.meta.resolve('tsx/esm/api');
  } catch {
    return undefined; // no module URL (a CommonJS bundle without the built file) or no tsx
  }
  const boot = `const { register } = await import(${JSON.stringify(tsx)}); register(); await import(${JSON.stringify(sourceUrl.href)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(boot)}`);
}
