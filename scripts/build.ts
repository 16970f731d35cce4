/**
 * Builds what runs outside tsx: the renderer bundle, Electron main and preload, the
 * browser host and the CLI. esbuild only strips types; `npm run typecheck` checks them.
 */
import { build, type BuildOptions } from 'esbuild';
import { cp, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'dist');

const node: BuildOptions = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  packages: 'external',
  logLevel: 'warning',
};

export async function buildAll(): Promise<void> {
  await rm(out, { recursive: true, force: true });
  await mkdir(join(out, 'renderer'), { recursive: true });
  await Promise.all([
    build({
      entryPoints: [join(root, 'renderer/main.tsx')],
      outfile: join(out, 'renderer/app.js'),
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'chrome120',
      jsx: 'automatic',
      sourcemap: 'linked',
      minify: true,
      define: { 'process.env.NODE_ENV': '"production"' },
      logLevel: 'warning',
    }),
    // The inference worker bundles onnxruntime-web's JS; its WASM files are served from /vendor/ort/.
    build({
      entryPoints: [join(root, 'renderer/features/inference/inference.worker.ts')],
      outfile: join(out, 'renderer/inference.worker.js'),
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'chrome120',
      minify: true,
      sourcemap: 'linked',
      logLevel: 'warning',
    }),
    build({
      ...node,
      entryPoints: [join(root, 'electron/main.ts')],
      outfile: join(out, 'electron/main.cjs'),
      format: 'cjs',
      external: ['electron'],
    }),
    // Sandboxed preloads may require only a few Electron modules: bundle everything else.
    build({
      ...node,
      packages: undefined,
      entryPoints: [join(root, 'electron/preload.ts')],
      outfile: join(out, 'electron/preload.cjs'),
      format: 'cjs',
      external: ['electron'],
    }),
    build({
      ...node,
      entryPoints: [join(root, 'host/main.ts')],
      outfile: join(out, 'host/main.mjs'),
      format: 'esm',
    }),
    // The C-STORE SCP's worker thread sits beside the host bundle (core/network/scp-worker-host.ts looks there).
    build({
      ...node,
      entryPoints: [join(root, 'core/network/scp-worker.ts')],
      outfile: join(out, 'host/scp-worker.mjs'),
      format: 'esm',
    }),
    // The inference and measurement worker threads sit beside each bundle that starts them
    // (the host, the CLI, Electron's service); core/inference/worker/worker-entry.ts looks there.
    ...['host', 'cli', 'electron'].flatMap((folder) =>
      ['inference-worker', 'measurement-worker'].map((worker) =>
        build({
          ...node,
          entryPoints: [join(root, `core/inference/worker/${worker}.ts`)],
          outfile: join(out, folder, `${worker}.mjs`),
          format: 'esm',
        }),
      ),
    ),
    build({
      ...node,
      entryPoints: [join(root, 'core/cli/main.ts')],
      outfile: join(out, 'cli/neoscope.mjs'),
      format: 'esm',
    }),
    cp(join(root, 'renderer/index.html'), join(out, 'renderer/index.html')),
    cp(join(root, 'renderer/styles.css'), join(out, 'renderer/styles.css')),
  ]);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  await buildAll();
  console.log(`built dist/ in ${Math.round(performance.now() - started)} ms`);
}
