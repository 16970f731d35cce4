/**
 * `npm run lint:electron`: Doyensec's Electronegativity over the Electron code
 * (electron/, tests left out) and the page (renderer/, whose index.html carries the CSP).
 * The CLI always exits 0 and only prints what it could not parse, so this runs it
 * through its API and fails when
 *   - any file could not be parsed (a file it cannot read is a file it did not check),
 *   - any finding is not in EXPLAINED below (each with its reason, also listed in
 *     README.md under "Security"); every severity counts, because the tool rates some
 *     real problems low (an explicit `nodeIntegration: true` is INFORMATIONAL),
 *   - an EXPLAINED entry no longer matches a finding (the list must not go stale).
 * Left out: AVAILABLESECURITYFIXESGLOBALCHECK downloads Electron's release list (build
 * machines may be offline; the pinned Electron version is checked by hand, see README).
 * The Electron version is passed in (the tool's defaults depend on it): the installed one.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

interface Finding {
  id: string;
  file: string;
  location: { line: number; column: number };
  severity: { name: string; value: number };
  confidence: { name: string };
  manualReview?: boolean;
  description: string;
}
interface ScanError {
  file: string;
  message: string;
  tolerable: boolean;
}
type Run = (
  options: Record<string, unknown>,
  forCli: boolean,
) => Promise<{
  errors: ScanError[];
  issues: Finding[];
  globalChecks: number;
  atomicChecks: number;
}>;

export interface Explanation {
  check: string;
  file: string;
  reason: string;
}

/** Findings reviewed and found not to apply, keyed by check and file. */
export const EXPLAINED: Explanation[] = [
  ...['CONTEXT_ISOLATION_JS_CHECK', 'SANDBOX_JS_CHECK'].map((check) => ({
    check,
    file: 'electron/browser-main.ts',
    reason:
      'new BrowserWindow(workstationWindowOptions(...)): the options come from electron/window-options.ts, which the tool does not follow; contextIsolation, sandbox and nodeIntegration(InWorker/InSubFrames) are asserted by electron/window-security.test.ts',
  })),
  {
    check: 'AUXCLICK_JS_CHECK',
    file: 'electron/browser-main.ts',
    reason:
      'middle-click can only ask for a new window or a navigation: setWindowOpenHandler denies every new window and will-navigate/will-redirect refuse any URL outside app://neoscope (electron/security.ts, tested)',
  },
  {
    check: 'CSP_GLOBAL_CHECK',
    file: 'renderer/index.html',
    reason:
      "LOW: csp-evaluator flags script-src 'self' (a risk where the origin serves JSONP or user uploads; app://neoscope and the host serve only the built bundle, imported images travel through the API) and does not know 'wasm-unsafe-eval' (CSP3: WebAssembly compilation only, no JavaScript eval)",
  },
];

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);

function copyScanTree(extraFiles: Record<string, string>): string {
  const tree = mkdtempSync(join(tmpdir(), 'neoscope-electronegativity-'));
  const keep = (source: string) =>
    !/\.test\.tsx?$/.test(source) && !source.split(sep).includes('node_modules');
  cpSync(join(root, 'electron'), join(tree, 'electron'), { recursive: true, filter: keep });
  cpSync(join(root, 'renderer'), join(tree, 'renderer'), { recursive: true, filter: keep });
  for (const [path, text] of Object.entries(extraFiles)) writeFileSync(join(tree, path), text);
  return tree;
}

/** `extraFiles` (path relative to the root → text) lets a test plant a file to prove the gate fails. */
export async function scan(
  options: { extraFiles?: Record<string, string> } = {},
): Promise<{ failures: string[]; report: string[] }> {
  const run = require('@doyensec/electronegativity') as Run;
  const electronVersion = (
    JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')) as {
      version: string;
    }
  ).version;
  const tree = copyScanTree(options.extraFiles ?? {});
  try {
    const result = await run(
      {
        input: tree,
        isRelative: false,
        isVerbose: true,
        severitySet: 'informational',
        confidenceSet: 'tentative',
        customScan: [],
        excludeFromScan: ['availablesecurityfixesglobalcheck'],
        electronVersionOverride: electronVersion,
        parserPlugins: [],
      },
      false,
    );
    const where = (file: string) =>
      file.startsWith(tree) ? relative(tree, file).split(sep).join('/') : file;
    const failures: string[] = [];
    const report: string[] = [
      `electronegativity: ${result.atomicChecks} atomic + ${result.globalChecks} global checks, Electron ${electronVersion}`,
    ];
    for (const error of result.errors)
      failures.push(`could not parse ${where(error.file)}: ${error.message}`);
    const used = new Set<Explanation>();
    for (const issue of result.issues) {
      const file = issue.file === 'N/A' ? 'N/A' : where(issue.file);
      const line = `${issue.severity.name}/${issue.confidence.name} ${issue.id} ${file}:${issue.location.line}`;
      const explanation = EXPLAINED.find((e) => e.check === issue.id && e.file === file);
      if (explanation) {
        used.add(explanation);
        report.push(`  explained  ${line}: ${explanation.reason}`);
      } else {
        // Every severity: the tool rates an explicit `nodeIntegration: true` INFORMATIONAL.
        failures.push(`unexplained ${line}: ${issue.description}`);
      }
    }
    for (const explanation of EXPLAINED) {
      if (!used.has(explanation))
        failures.push(
          `stale explanation: ${explanation.check} in ${explanation.file} no longer reported; remove it here and in README.md`,
        );
    }
    return { failures, report };
  } finally {
    rmSync(tree, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { failures, report } = await scan();
  for (const line of report) console.log(line);
  for (const line of failures) console.error(`FAIL ${line}`);
  console.log(
    failures.length
      ? `electronegativity: ${failures.length} problem(s)`
      : 'electronegativity: every file parsed, no unexplained finding',
  );
  process.exitCode = failures.length ? 1 : 0;
}
