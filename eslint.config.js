// @ts-check
import { builtinModules } from 'node:module';
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [...builtinModules.filter((name) => !name.startsWith('_')), ...builtinModules.map((name) => `node:${name}`)];
const ioPackages = ['mongodb', 'express', 'got', 'pino', 'fast-xml-parser'];

/** Workflow code is replayed in a sandbox: no I/O, no Node, no clients (as temporalio/samples-typescript). */
const workflowRestrictions = {
  paths: [...nodeBuiltins, ...ioPackages, '@temporalio/activity', '@temporalio/client', '@temporalio/worker', '@temporalio/testing'].map(
    (name) => ({
      name,
      message: 'Workflows are deterministic: call an activity instead.',
      allowTypeImports: true,
    }),
  ),
  patterns: [
    {
      group: ['**/activities/**', '**/connectors/**', '**/store/**', '**/api/**', '**/workers/**', '**/sandbox/**', '**/config/**'],
      message: 'Workflows see I/O only through activities, imported as types.',
      allowTypeImports: true,
    },
  ],
};

export default tseslint.config(
  { ignores: ['node_modules/**', '.runtime/**', 'coverage/**'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['eslint.config.js'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', workflowRestrictions] },
  },
  {
    files: ['mappers/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [...nodeBuiltins, ...ioPackages].map((name) => ({ name, message: 'Mappers are pure: no I/O.', allowTypeImports: true })),
          // store/schemas holds the pure settings and mapping-table schemas: allowed.
          patterns: [
            { group: ['**/connectors/**', '**/activities/**'], message: 'Mappers are pure: no I/O.', allowTypeImports: true },
            { regex: '(^|/)store/(?!schemas/)', message: 'Mappers are pure: no I/O.', allowTypeImports: true },
          ],
        },
      ],
    },
  },
  {
    // Each side of a vendor protocol is written from the vendor's documentation on its own.
    files: ['sandbox/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/connectors/**'], message: 'Sandboxes must not share code with the connectors.' }] },
      ],
    },
  },
  {
    files: ['connectors/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/sandbox/**'], message: 'Connectors must not share code with the sandboxes.' }] },
      ],
    },
  },
  {
    files: ['**/*.test.ts', 'test/**/*.ts'],
    // Tests read loosely typed HTTP answers and assert on them; the assertions are the type check.
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
);
