// Lint rules that guard the two things that break silently in this codebase:
// promises nobody awaits, and workflow code importing what Temporal's sandbox cannot run.
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [
  'fs',
  'net',
  'http',
  'https',
  'http2',
  'crypto',
  'child_process',
  'os',
  'path',
  'stream',
  'tls',
  'dns',
  'worker_threads',
  'cluster',
  'dgram',
  'zlib',
  'process',
  'timers',
  'events',
  'buffer',
  'readline',
];

export default tseslint.config(
  { ignores: ['node_modules/', '.data/', '.tools/', 'coverage/'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.mjs', 'bin/*.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['bin/*.js', '*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['bin/*.js', '*.mjs'],
    languageOptions: {
      globals: { require: 'readonly', module: 'writable', process: 'readonly', __dirname: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Workflow code runs in Temporal's deterministic sandbox: only @temporalio/workflow, zod and
    // type-only imports of activities may enter it.
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...nodeBuiltins
              .flatMap((m) => [m, `node:${m}`])
              .map((name) => ({ name, message: 'Node built-ins do not exist in the workflow sandbox.' })),
            { name: 'typeorm', message: 'Database access belongs in activities.' },
            { name: 'pg', message: 'Database access belongs in activities.' },
            { name: '@temporalio/activity', message: 'Not available in the workflow sandbox.' },
            { name: '@temporalio/client', message: 'Use child workflows or activities from workflow code.' },
            { name: '@temporalio/worker', message: 'Not available in the workflow sandbox.' },
            { name: '@azure/identity', message: 'Graph access belongs in activities.' },
          ],
          patterns: [
            {
              group: [
                // The bare directory too: `from '../activities'` is its index, not matched by `/*`.
                '../activities',
                '../activities/*',
                '../db/*',
                '../graph/*',
                '../client/*',
                '../config/*',
                '../logging/*',
              ],
              allowTypeImports: true,
              message: 'Import only types from outside the workflow sandbox.',
            },
          ],
        },
      ],
    },
  },
);
