/**
 * The layers inside core/ hold over the whole import graph (scripts/core-layers.ts), and the
 * rules are real: a deliberately wrong import — upward, closing a cycle, into test harness
 * code, from a folder no tier names — is reported, and ESLint refuses the upward one too.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ESLint } from 'eslint';
import { projectRoot } from '../core/testing/shared-data.ts';
import {
  checkCoreLayers,
  CORE_LAYERS,
  readCoreSources,
  relativeImports,
  type LayerProblem,
} from './core-layers.ts';

const tree = readCoreSources(projectRoot);
const withFile = (path: string, source: string) => new Map([...tree, [path, source]]);
const kinds = (problems: LayerProblem[]) => problems.map((p) => p.kind);

test('every core folder sits in one tier, imports only downward, and no folders form a cycle', () => {
  const problems = checkCoreLayers(tree);
  assert.deepEqual(
    problems.map((p) => p.message),
    [],
    'fix the import, move the code to the tier it belongs in, or (only when it cannot move yet) list it in allow with the reason',
  );
  const folders = CORE_LAYERS.tiers.flatMap((t) => t.folders);
  assert.equal(new Set(folders).size, folders.length, 'a folder is in one tier only');
});

test('imports are found in every form: multi-line, type-only, re-exports, dynamic', () => {
  const source = [
    "import {\n  a,\n  b,\n} from '../x/one.ts';",
    "import type { T } from './two.ts';",
    "export { c } from '../../y/three.ts';",
    "export * from './four.ts';",
    "const m = await import('../z/five.ts');",
    "import 'node:fs';",
    ' * a comment naming core/api/contract.ts is no import',
  ].join('\n');
  assert.deepEqual(relativeImports(source), [
    '../x/one.ts',
    './two.ts',
    '../../y/three.ts',
    './four.ts',
    '../z/five.ts',
  ]);
});

test('an upward import is refused: dicom may not import the composition root', () => {
  const problems = checkCoreLayers(
    withFile(
      'core/dicom/example.ts',
      "import { createServices } from '../workstation/services.ts';\n",
    ),
  );
  // workstation imports dicom, so the wrong import also closes a cycle; both are said.
  assert.deepEqual(kinds(problems), ['upward', 'cycle']);
  assert.match(
    problems[0]!.message,
    /core\/dicom\/example\.ts imports core\/workstation\/services\.ts/,
  );
});

test('an import that closes a cycle inside one tier is refused', () => {
  // store opens the signed reports (store → reports); reports importing the database closes a loop.
  const problems = checkCoreLayers(
    withFile('core/reports/example.ts', "import { openDatabase } from '../store/database.ts';\n"),
  );
  assert.deepEqual(kinds(problems), ['cycle']);
  assert.match(problems[0]!.message, /reports, store/);
});

test('production code may not import test harness code; harness code may reach any folder', () => {
  assert.deepEqual(
    kinds(
      checkCoreLayers(
        withFile(
          'core/review/example.ts',
          "import { samplePath } from '../testing/shared-data.ts';\n",
        ),
      ),
    ),
    ['harness'],
  );
  assert.deepEqual(
    checkCoreLayers(
      withFile(
        'core/dicom/fuzz/example.ts',
        "import { createWorkstation } from '../../workstation/create-workstation.ts';\n",
      ),
    ),
    [],
  );
});

test('a new folder must be placed in a tier, and a stale allowance is reported', () => {
  assert.deepEqual(kinds(checkCoreLayers(withFile('core/newthing/a.ts', 'export {};\n'))), [
    'undeclared',
  ]);
  const stale = { ...CORE_LAYERS, allow: [{ from: 'core/a/x.ts', to: 'core/b/y.ts', reason: '' }] };
  assert.deepEqual(kinds(checkCoreLayers(tree, stale)), ['stale-allowance']);
});

test('ESLint refuses an upward import inside core and lets a downward one pass', async () => {
  const eslint = new ESLint({ cwd: projectRoot });
  const errors = async (filePath: string, code: string) => {
    const [result] = await eslint.lintText(code, { filePath: `${projectRoot}/${filePath}` });
    return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports');
  };
  const upward = await errors(
    'core/dicom/example.ts',
    "import { createServices } from '../workstation/services.ts';\nexport const x = createServices;\n",
  );
  assert.equal(upward.length, 1);
  assert.match(upward[0]!.message, /tier "pixels and rules"/);
  assert.equal(
    (
      await errors(
        'core/measurements/geometry/example.ts',
        "import { ApiError } from '../../api/errors.ts';\nexport const x = ApiError;\n",
      )
    ).length,
    1,
    'a page-imported subfolder keeps its layer rule',
  );
  assert.deepEqual(
    await errors(
      'core/review/example.ts',
      "import { CodedError } from '../base/errors.ts';\nexport const x = CodedError;\n",
    ),
    [],
  );
});
