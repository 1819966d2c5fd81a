// Flat config. Type-aware rules (typescript-eslint recommendedTypeChecked) for the TypeScript
// sources; plain JS files (configs, scripts, bin) get the untyped rules only.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  {
    ignores: [
      'out/**',
      'dist/**',
      'node_modules/**',
      'test-results/**',
      'coverage/**',
      'assets/**',
      '.onehop-dev/**',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        // tsconfig.node.json / tsconfig.web.json cover every .ts file, root configs included.
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      // Fire-and-forget calls are allowed when marked with `void`.
      '@typescript-eslint/no-floating-promises': ['error', { ignoreVoid: true }],
      '@typescript-eslint/no-misused-promises': [
        'error',
        { checksVoidReturn: { attributes: false } },
      ],
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowBoolean: true },
      ],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Everything that runs in Node: main process (core and hosts), preload, tests, scripts, bin.
    files: [
      'src/main/**',
      'src/preload/**',
      'test/**',
      'scripts/**',
      'bin/**',
      '*.config.{ts,js,cjs,mjs}',
      '.dependency-cruiser.cjs',
      'eslint.config.js',
    ],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['src/renderer/**'],
    extends: [reactHooks.configs.flat.recommended],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // Backup for dependency-cruiser's core-no-electron rule, visible right in the editor.
    files: ['src/main/core/**', 'src/main/cli/**', 'src/main/web/**', 'src/shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message:
                'The core, shared code, CLI and web hosts run without Electron: move this to src/main/electron.',
            },
          ],
          patterns: [
            {
              group: ['electron/*'],
              message: 'The core, shared code, CLI and web hosts run without Electron.',
            },
          ],
        },
      ],
    },
  },
);
