/**
 * Lint, and the layer rules of DESIGN.md enforced as errors:
 *  - renderer/ (sandboxed page) imports no Node built-in, nothing of Electron, the
 *    browser host or Node-side core; only the contract (core/api) and pure imaging code;
 *  - core/ imports neither Electron nor React nor any UI or shell layer;
 *  - electron/ and host/ do not reach into the renderer.
 */
import js from '@eslint/js';
import globals from 'globals';
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

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
        '(^|/)core/(?!api/|imaging/|inference/portable/|vocabulary/|screening/|measurements/geometry/)',
      message:
        'The renderer may import only core/api (the contract), core/imaging (pure pixel code), core/inference/portable (runtime-neutral inference code), core/vocabulary (shared domain terms), core/screening (clinical rules) and core/measurements/geometry (measured numbers and their text).',
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
  { files: ['core/**/*.ts'], rules: { 'no-restricted-imports': ['error', coreRule] } },
  {
    // The core folders the page may import run in the sandbox too: no Node built-ins.
    files: [
      'core/api/**/*.ts',
      'core/imaging/**/*.ts',
      'core/inference/portable/**/*.ts',
      'core/vocabulary/**/*.ts',
      'core/screening/**/*.ts',
      'core/measurements/geometry/**/*.ts',
    ],
    ignores: ['core/**/*.test.ts', 'core/**/bench/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          ...coreRule,
          paths: [
            ...coreRule.paths,
            ...nodeBuiltins.map((name) => ({
              name,
              message: 'The page imports this folder: keep it free of Node built-ins.',
            })),
          ],
        },
      ],
    },
  },
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
