/**
 * The Electronegativity gate (build/electronegativity.ts, `npm run lint:electron`) fails
 * when it should: a file it cannot parse, and findings nobody has explained, of any
 * severity (the tool rates an explicit `nodeIntegration: true` only INFORMATIONAL). The
 * clean tree passing is what `npm run lint:electron` itself shows.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scan } from '../build/electronegativity.ts';

test('an unparsable file and unexplained findings each fail the gate', async () => {
  const { failures } = await scan({
    extraFiles: {
      'electron/planted-broken.ts': 'export const = ;\n',
      'electron/planted-window.ts':
        "import { BrowserWindow } from 'electron';\nexport const w = new BrowserWindow({ webPreferences: { contextIsolation: false, nodeIntegration: true } });\n",
    },
  });
  assert.ok(
    failures.some((line) => line.startsWith('could not parse electron/planted-broken.ts')),
    failures.join('\n'),
  );
  assert.ok(
    failures.some((line) =>
      /^unexplained HIGH\/\w+ CONTEXT_ISOLATION_JS_CHECK electron\/planted-window\.ts/.test(line),
    ),
    failures.join('\n'),
  );
  assert.ok(
    failures.some((line) =>
      /^unexplained INFORMATIONAL\/\w+ NODE_INTEGRATION_JS_CHECK electron\/planted-window\.ts/.test(
        line,
      ),
    ),
    failures.join('\n'),
  );
});
