#!/usr/bin/env node
// The `neoscope` command: runs the built CLI (npm run build makes dist/cli/neoscope.mjs).
import { existsSync } from 'node:fs';

const built = new URL('../dist/cli/neoscope.mjs', import.meta.url);
if (!existsSync(built)) {
  process.stderr.write(
    'neoscope: the CLI is not built yet; run `npm run build` in the NeoScope folder.\n',
  );
  process.exit(2);
}
await import(built.href);
