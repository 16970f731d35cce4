/**
 * Lint, and the layer rules of DESIGN.md enforced as errors:
 *  - renderer/ (sandboxed page) imports no Node built-in, nothing of Electron, the
 *    browser host or Node-side core; only the contract (core/api) and pure imaging code;
 *  - core/ imports neither Electron nor React nor any UI or shell layer;
 *  - inside core/, a folder imports only its own tier and those below
 *    (scripts/core-layers.json; scripts/core-layers.test.ts also checks the whole graph for
 *    cycles), and the folders the page imports stay free of Node built-ins;
 *  - electron/ and host/ do not reach into the renderer.
 */
import js from '@eslint/js';
import globals from 'globals';
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';
import coreLayers from './scripts/core-layers.json' with { type: 'json' };

const nodeBuiltins = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)];

const rendererRule = {
  paths: [
    ...nodeBuiltins.map((name) => ({
      name,
      message:
        'The renderer is sandboxed: reach privileged code through the API client (renderer/api).',
    })),
    {
      name: 'electron',
      message:
        'The renderer never imports Electron; the preload bridge is reached through renderer/api.',
    },
  ],
  patterns: [
    {
      group: ['**/electron/**', '**/host/**'],
      message: 'The renderer may not import the Electron main process or the browser host.',
    },
    {
      regex:
        '(^|/)core/(?!api/|base/|imaging/|inference/portable/|vocabulary/|screening/|measurements/geometry/)',
      message:
        'The renderer may import only core/api (the contract), core/base (errors and shared schemas), core/imaging (pure pixel code), core/inference/portable (runtime-neutral inference code), core/vocabulary (shared domain terms), core/screening (clinical rules) and core/measurements/geometry (measured numbers and their text).',
    },
  ],
};

const coreRule = {
  paths: [
    { name: 'electron', message: 'core/ runs under plain Node: no Electron.' },
    { name: 'react', message: 'core/ has no UI: no React.' },
    { name: 'react-dom', message: 'core/ has no UI: no React.' },
  ],
  patterns: [
    {
      group: ['**/renderer/**', '**/electron/**', '**/host/**', 'react-dom/*', 'cornerstone-core'],
      message: 'core/ may not import UI or shell layers.',
    },
  ],
};

const pageImportedFolders = [
  'api',
  'base',
  'imaging',
  'inference/portable',
  'vocabulary',
  'screening',
  'measurements/geometry',
];
const noNodeBuiltins = nodeBuiltins.map((name) => ({
  name,
  message: 'The page imports this folder: keep it free of Node built-ins.',
}));
const harnessGlobs = [
  'core/**/*.test.ts',
  'core/testing/**',
  'core/**/testing/**',
  'core/**/bench/**',
  'core/**/fuzz/**',
];

/**
 * One block per core folder (and per page-imported subfolder, which also refuses Node
 * built-ins): the folders of higher tiers are refused by relative path. A file in a flat
 * config takes the options of the last block that matches it, so each block carries all of
 * its folder's rules.
 */
function coreLayerConfigs() {
  const tierOf = new Map(
    coreLayers.tiers.flatMap((tier, i) => tier.folders.map((folder) => [folder, i])),
  );
  const rulesFor = (folder, pageImported) => {
    const tier = tierOf.get(folder) ?? 0;
    const higher = coreLayers.tiers.slice(tier + 1).flatMap((t) => t.folders);
    return {
      'no-restricted-imports': [
        'error',
        {
          paths: [...coreRule.paths, ...(pageImported ? noNodeBuiltins : [])],
          patterns: [
            ...coreRule.patterns,
            ...(higher.length
              ? [
                  {
                    regex: `^(\\.\\./)+(${higher.join('|')})/`,
                    message: `core/${folder} is in the tier "${coreLayers.tiers[tier].name}": it imports only that tier and those below (scripts/core-layers.json).`,
                  },
                ]
              : []),
          ],
        },
      ],
    };
  };
  const folders = coreLayers.tiers.flatMap((t) => t.folders);
  return [
    { files: ['core/**/*.ts'], rules: { 'no-restricted-imports': ['error', coreRule] } },
    ...folders.map((folder) => ({
      files: [`core/${folder}/**/*.ts`],
      ignores: harnessGlobs,
      rules: rulesFor(folder, pageImportedFolders.includes(folder)),
    })),
    ...pageImportedFolders
      .filter((path) => path.includes('/'))
      .map((path) => ({
        files: [`core/${path}/**/*.ts`],
        ignores: harnessGlobs,
        rules: rulesFor(path.split('/')[0], true),
      })),
  ];
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'build/output/**', 'training/**', 'e2e/artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    ignores: ['renderer/**/*.test.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: { 'no-restricted-imports': ['error', rendererRule] },
  },
  ...coreLayerConfigs(),
  {
    files: ['electron/**/*.ts', 'host/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/renderer/**'], message: 'Main-side code does not import the renderer.' },
          ],
        },
      ],
    },
  },
  { files: ['e2e/**/*.ts'], languageOptions: { globals: { ...globals.browser, ...globals.node } } },
);
