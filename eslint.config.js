import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', 'native/target/**', 'native/index.cjs', 'native/index.d.ts', 'test-results/**', 'playwright-report/**', 'scratch/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The application core must run without Electron (headless shell, CLI, tests).
    files: ['src-main/core/**/*.ts', 'src-main/cli/**/*.ts', 'src-main/headless/**/*.ts', 'src-main/sim-gateway/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'The core never imports electron; only src-main/index.ts (the Electron shell) may.' }] }],
    },
  },
  {
    // The renderer talks to window.api only.
    files: ['src-renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['electron', 'node:*', '../src-main/*', '../../src-main/*'], message: 'The renderer only talks to window.api.' }] }],
    },
  },
  {
    files: ['bin/**/*.mjs', 'bench/**/*.mjs', 'scripts/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
