/**
 * The layer rules are real: ESLint (with the project's own config) rejects a renderer file
 * that imports Node, Electron, the host or Node-side core, and a core file that imports
 * Electron or React; allowed imports pass.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ESLint } from 'eslint';
import { projectRoot } from '../core/testing/shared-data.ts';

const eslint = new ESLint({ cwd: projectRoot });

async function restrictedImportErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${projectRoot}/${filePath}` });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

test('renderer files may not import Node built-ins, Electron, the host or Node-side core', async () => {
  const forbidden = [
    "import { readFileSync } from 'node:fs';",
    "import fs from 'fs';",
    "import { join } from 'path';",
    "import { ipcRenderer } from 'electron';",
    "import { registerApiIpc } from '../../electron/ipc-transport.ts';",
    "import { startBrowserHost } from '../../host/server.ts';",
    "import { parseDicomBytes } from '../../core/dicom/parse.ts';",
    "import { createLibrary } from '../../core/library/library.ts';",
  ];
  for (const line of forbidden) {
    const errors = await restrictedImportErrors(
      'renderer/features/viewer/Example.tsx',
      `${line}\nexport const x = 1;\n`,
    );
    assert.equal(errors.length, 1, `expected a layer error for: ${line}`);
  }
});

test('renderer files may import the contract', async () => {
  const errors = await restrictedImportErrors(
    'renderer/features/viewer/Example.tsx',
    "import { contract } from '../../../core/api/contract.ts';\nexport const x = contract;\n",
  );
  assert.deepEqual(errors, []);
});

test('core files may not import Electron, React or the renderer', async () => {
  for (const line of [
    "import { app } from 'electron';",
    "import React from 'react';",
    "import { App } from '../../renderer/app/App.tsx';",
    "import * as cs from 'cornerstone-core';",
  ]) {
    const errors = await restrictedImportErrors(
      'core/dicom/example.ts',
      `${line}\nexport const x = 1;\n`,
    );
    assert.equal(errors.length, 1, `expected a layer error for: ${line}`);
  }
  assert.deepEqual(
    await restrictedImportErrors(
      'core/dicom/example.ts',
      "import { inflateRawSync } from 'node:zlib';\nexport const x = inflateRawSync;\n",
    ),
    [],
  );
});

test('the core folders the page imports stay free of Node built-ins; the page may import them', async () => {
  for (const file of [
    'core/vocabulary/example.ts',
    'core/screening/example.ts',
    'core/api/example.ts',
    'core/inference/portable/example.ts',
    'core/measurements/geometry/example.ts',
  ]) {
    const errors = await restrictedImportErrors(
      file,
      "import { createHash } from 'node:crypto';\nexport const x = createHash;\n",
    );
    assert.equal(errors.length, 1, `expected a layer error for node:crypto in ${file}`);
  }
  for (const folder of [
    'vocabulary/visit.ts',
    'screening/index.ts',
    'measurements/geometry/format.ts',
  ]) {
    const errors = await restrictedImportErrors(
      'renderer/features/viewer/Example.tsx',
      `import * as m from '../../../core/${folder}';\nexport const x = m;\n`,
    );
    assert.deepEqual(errors, [], `the page may import core/${folder}`);
  }
});
