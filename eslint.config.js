import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

/**
 * The engine's folders and, for each, the folders it may import (besides the shared leaves
 * errors.ts, paths.ts and serial-queue.ts). Everything else is refused, so data flows one way:
 * docs/architecture.md draws this table, and must change with it.
 */
const ENGINE_FOLDERS = {
  store: [],
  model: ['store'],
  image: ['model'],
  vocab: ['model', 'store'],
  index: ['model', 'vocab', 'store'],
  workers: ['image', 'model'],
  library: ['workers', 'image', 'index', 'store'],
  api: ['library', 'workers', 'index', 'vocab', 'image', 'model', 'store'],
};
/** The engine's root modules that wire the folders together; only api/ may import them. */
const ENGINE_ROOT = [
  'engine',
  'engine-options',
  'active-pack',
  'tag-write-schedule',
  'pack-switch',
];

/** The engine never reaches Electron or the transports that sit on it. */
const ENGINE_BASE = {
  paths: [
    { name: 'electron', message: 'src-main/engine must not import electron (see STYLE.md).' },
  ],
  patterns: [
    { group: ['electron/*'], message: 'src-main/engine must not import electron.' },
    {
      regex: '^(\\.\\./)+(app|cli|server)(/|$)',
      message: 'the engine must not depend on the Electron glue, the CLI or the server.',
    },
  ],
};

/** no-restricted-imports for one engine folder: the folders (and root modules) it may not use. */
function engineFolderRule(folder) {
  const allowed = new Set([folder, ...ENGINE_FOLDERS[folder]]);
  const refused = Object.keys(ENGINE_FOLDERS).filter((f) => !allowed.has(f));
  const patterns = [...ENGINE_BASE.patterns];
  if (refused.length > 0) {
    patterns.push({
      regex: `^(\\.\\./)+(${refused.join('|')})/`,
      message: `engine/${folder}/ may import only ${[...allowed].filter((f) => f !== folder).join(', ') || 'errors.ts and paths.ts'} (docs/architecture.md).`,
    });
  }
  if (folder !== 'api') {
    patterns.push({
      regex: `^(\\.\\./)+(${ENGINE_ROOT.join('|')})\\.js$`,
      message: `engine/${folder}/ must not import the engine's wiring (${ENGINE_ROOT.join(', ')}); pass it what it needs.`,
    });
  }
  return { ...ENGINE_BASE, patterns };
}

const escapeRegex = (text) => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');

/** A glob of no-restricted-imports (`electron/*`; `**` for any folders) as a regular expression. */
function globSource(glob) {
  const parts = glob.split('**/').map((part) => escapeRegex(part).replaceAll('*', '[^/]*'));
  return `^${parts.join('(.*/)?')}$`;
}

/**
 * The same refusals for dynamic `import()`, which no-restricted-imports does not see: one
 * no-restricted-syntax selector per name, glob and pattern, on the import's string (or the
 * leading text of a template literal). Type-only allowances do not apply: import() runs.
 */
function dynamicImportRule({ paths = [], patterns = [] }) {
  const refusals = [
    ...paths.map((p) => ({ source: `^${escapeRegex(p.name)}$`, message: p.message })),
    ...patterns.flatMap((p) =>
      p.regex
        ? [{ source: p.regex, message: p.message }]
        : p.group.map((glob) => ({ source: globSource(glob), message: p.message })),
    ),
  ];
  return [
    'error',
    ...refusals.flatMap(({ source, message }) => {
      const regex = `/${source.replaceAll('/', '\\/')}/`;
      return [
        { selector: `ImportExpression[source.value=${regex}]`, message },
        { selector: `ImportExpression[source.quasis.0.value.cooked=${regex}]`, message },
      ];
    }),
  ];
}

/** no-restricted-imports with `options`, and the same refusals for dynamic import(). */
function importRules(options) {
  return {
    '@typescript-eslint/no-restricted-imports': ['error', options],
    'no-restricted-syntax': dynamicImportRule(options),
  };
}

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
    // Its root modules (engine.ts, pack-switch.ts) wire every folder but api/ together.
    files: ['src-main/engine/*.ts'],
    rules: importRules({
      ...ENGINE_BASE,
      patterns: [
        ...ENGINE_BASE.patterns,
        { regex: '^\\./api/', message: "the engine's wiring must not import the API." },
      ],
    }),
  },
  // Each engine folder imports only the folders below it (ENGINE_FOLDERS).
  ...Object.keys(ENGINE_FOLDERS).map((folder) => ({
    files: [`src-main/engine/${folder}/**/*.ts`],
    rules: importRules(engineFolderRule(folder)),
  })),
  {
    // Transports (CLI, HTTP server, Electron glue) reach the engine only through its API, the
    // Engine they open, and the shared error type and paths.
    files: ['src-main/cli/**/*.ts', 'src-main/server/**/*.ts', 'src-main/app/**/*.ts'],
    rules: importRules({
      patterns: [
        {
          regex: '^(\\.\\./)+engine/(?!api/|engine\\.js$|errors\\.js$|paths\\.js$)',
          message:
            'transports use the engine through engine/api/ (and engine.ts, errors.ts, paths.ts).',
        },
      ],
    }),
  },
  {
    // The renderer may take only types from the main side: the API contract.
    files: ['src-renderer/**/*.ts', 'src-renderer/**/*.svelte'],
    languageOptions: { globals: { ...globals.browser } },
    rules: importRules({
      paths: [
        {
          name: 'electron',
          message: 'the renderer talks to the main process only through the API client.',
        },
      ],
      patterns: [
        {
          // Types only, and only from the contract, the error shape and the IPC bridge.
          group: [
            '**/src-main/engine/api/contract.js',
            '**/src-main/engine/errors.js',
            '**/src-main/app/bridge-api.js',
          ],
          allowTypeImports: true,
          message: 'src-renderer may import only types from src-main.',
        },
        {
          regex: 'src-main/(?!engine/api/contract\\.js$|engine/errors\\.js$|app/bridge-api\\.js$)',
          message: 'src-renderer takes its types from src-main/engine/api/contract.js only.',
        },
      ],
    }),
  },
);
