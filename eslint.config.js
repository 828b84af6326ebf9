import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'out/',
      'dist/',
      'release/',
      'resources/',
      'training/',
      'bench/results/',
      'test-artifacts/',
      '.gpu/',
      '.gl/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs.recommended,
  {
    // Svelte components and rune modules: TypeScript inside, browser globals.
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      globals: { ...globals.browser },
      parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'], svelteConfig },
    },
  },
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // The engine runs in plain Node (CLI, server, worker threads): it must never reach Electron.
    files: ['src-main/engine/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message: 'src-main/engine must not import electron (see STYLE.md).',
            },
          ],
          patterns: [
            { group: ['electron/*'], message: 'src-main/engine must not import electron.' },
            {
              group: ['**/app/*', '**/app'],
              message: 'the engine must not depend on the Electron glue.',
            },
          ],
        },
      ],
    },
  },
  {
    // The renderer may take only types from the main side: the API contract.
    files: ['src-renderer/**/*.ts', 'src-renderer/**/*.svelte'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              message: 'the renderer talks to the main process only through the API client.',
            },
          ],
          patterns: [
            {
              group: ['**/src-main/**'],
              allowTypeImports: true,
              message: 'src-renderer may import only types from src-main.',
            },
          ],
        },
      ],
    },
  },
);
