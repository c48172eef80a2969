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

/**
 * A pattern refusing imports from the given top-level folders, whatever the depth of the importing file.
 * @param {string[]} folders
 * @param {string} message
 */
function fromFolders(folders, message) {
  return { group: folders.map((folder) => `**/${folder}/**`), message };
}

/**
 * Outside workflows/, only a flow's contract module may be imported: `*-contract.ts` (ids,
 * signals, queries, updates, input and result types), and `search-attributes.ts` and
 * `task-priority.ts`, the keys and the priority every starter sets. Workflow code itself belongs to the worker's bundle.
 */
const workflowContractsOnly = {
  regex: '(^|/)workflows/(?![\\w/-]*-contract\\.js$|search-attributes\\.js$|task-priority\\.js$)',
  message:
    'Outside workflows/, import only contract modules (workflows/*-contract.ts, workflows/search-attributes.ts, workflows/task-priority.ts).',
};

const processRootsOnly =
  'workers/ is the worker process: share code through a module both processes import (schedules/, connectors/clients.ts).';

/** Imports each layer refuses, besides the pure-code rules below; one list per layer because a later config block replaces a rule's options. */
const layerPatterns = {
  activities: [fromFolders(['workers'], processRootsOnly), fromFolders(['api'], 'Activities do not call the API.'), workflowContractsOnly],
  api: [
    fromFolders(['workers'], processRootsOnly),
    fromFolders(['activities'], 'The API starts workflows; it does not run activities.'),
    workflowContractsOnly,
  ],
  console: [
    fromFolders(['workers'], processRootsOnly),
    fromFolders(['activities'], "The console acts through the admin API's use cases; it does not run activities."),
    fromFolders(['sandbox'], 'The console is product code: it does not know the sandboxes.'),
    workflowContractsOnly,
  ],
  schedules: [
    fromFolders(['api', 'activities', 'workers'], 'Schedules are written by both processes: they depend on neither.'),
    workflowContractsOnly,
  ],
  store: [fromFolders(['api', 'activities', 'workers', 'schedules'], 'The store knows MongoDB, not its callers.'), workflowContractsOnly],
  connectors: [
    fromFolders(
      ['activities', 'store', 'api', 'workflows', 'workers', 'schedules', 'mappers', 'decisions', 'config'],
      'Connectors speak only the vendor: callers pass settings and credentials in.',
    ),
    fromFolders(['sandbox'], 'Connectors must not share code with the sandboxes.'),
  ],
};

/**
 * The import rule of one layer.
 * @param {object[]} patterns
 * @param {object[]} [paths]
 */
function layerRule(patterns, paths = []) {
  return { '@typescript-eslint/no-restricted-imports': ['error', { paths, patterns }] };
}

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
    // Mappers (transforms) and decisions (rules that choose what happens) are pure alike.
    files: ['mappers/**/*.ts', 'decisions/**/*.ts'],
    // store/schemas holds the pure settings and mapping-table schemas: allowed.
    rules: layerRule(
      [
        { group: ['**/connectors/**', '**/activities/**'], message: 'Mappers are pure: no I/O.', allowTypeImports: true },
        { regex: '(^|/)store/(?!schemas/)', message: 'Mappers are pure: no I/O.', allowTypeImports: true },
        workflowContractsOnly,
      ],
      [...nodeBuiltins, ...ioPackages].map((name) => ({ name, message: 'Mappers are pure: no I/O.', allowTypeImports: true })),
    ),
  },
  { files: ['activities/**/*.ts'], rules: layerRule(layerPatterns.activities) },
  { files: ['api/**/*.ts'], rules: layerRule(layerPatterns.api) },
  { files: ['console/**/*.ts'], rules: layerRule(layerPatterns.console) },
  { files: ['schedules/**/*.ts'], rules: layerRule(layerPatterns.schedules) },
  { files: ['store/**/*.ts'], rules: layerRule(layerPatterns.store) },
  { files: ['connectors/**/*.ts'], rules: layerRule(layerPatterns.connectors) },
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
