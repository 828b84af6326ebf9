#!/usr/bin/env node
// `npm test`: every check the project has, in order — types, lint, build, model packs, the
// TypeScript tests (unit, integration, e2e) and the Python tests. Ends with one summary line.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const reports = path.join(root, 'test-artifacts');
mkdirSync(reports, { recursive: true });
const only = process.argv.slice(2);
const failures = [];
const counts = { passed: 0, failed: 0, skipped: 0 };

function step(name, command, args, options = {}) {
  if (only.length && !only.includes(name)) return;
  process.stdout.write(`\n── ${name}: ${[command, ...args].join(' ')}\n`);
  const started = Date.now();
  const result = spawnSync(command, args, {
    stdio: 'inherit',
    cwd: options.cwd ?? root,
    env: { ...process.env, ...options.env },
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const ok = result.status === 0 || (options.okStatus ?? []).includes(result.status);
  process.stdout.write(
    `── ${name}: ${ok ? 'ok' : `FAILED (exit ${result.status ?? result.signal})`} in ${seconds} s\n`,
  );
  if (!ok) failures.push(name);
}

function countVitest(file) {
  if (!existsSync(file)) return;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  counts.passed += report.numPassedTests ?? 0;
  counts.failed += report.numFailedTests ?? 0;
  counts.skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
}

function countJunit(file) {
  if (!existsSync(file)) return;
  const xml = readFileSync(file, 'utf8');
  const suite = /<testsuite\b[^>]*>/.exec(xml)?.[0] ?? '';
  const attr = (name) => Number(new RegExp(`\\b${name}="(\\d+)"`).exec(suite)?.[1] ?? 0);
  const failed = attr('failures') + attr('errors');
  const skipped = attr('skipped');
  counts.passed += attr('tests') - failed - skipped;
  counts.failed += failed;
  counts.skipped += skipped;
}

const npx = (bin, args, options) =>
  step(options?.name ?? bin, 'npx', ['--no-install', bin, ...args], options);

npx('tsc', ['-p', 'tsconfig.test.json', '--noEmit'], { name: 'typecheck' });
npx('tsc', ['-p', 'tsconfig.app.json', '--noEmit'], { name: 'typecheck-app' });
step('svelte-check', 'node', ['scripts/check-renderer.mjs']);
npx('eslint', ['.'], { name: 'lint' });
npx('prettier', ['--check', '.'], { name: 'format' });
npx('tsc', ['-p', 'tsconfig.node.json'], { name: 'build' });
// tsc makes no assets: the WebAssembly kernels (src-main/**/*.wat) are assembled beside its output.
step('build-wasm', 'node', ['scripts/wasm-kernels.mjs']);
npx('vite', ['build', '--config', 'vite.renderer.config.ts', '--logLevel', 'warn'], {
  name: 'build-web',
});
step('packs', 'node', ['scripts/build-packs.mjs']);
npx(
  'vitest',
  [
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile=${path.join(reports, 'vitest.json')}`,
  ],
  {
    name: 'vitest',
  },
);
countVitest(path.join(reports, 'vitest.json'));
// The renderer in Debian's Chromium against `anytag serve` (needs build, build-web and packs).
npx(
  'vitest',
  [
    'run',
    '--config',
    'vitest.e2e.config.ts',
    '--reporter=default',
    '--reporter=json',
    `--outputFile=${path.join(reports, 'e2e.json')}`,
  ],
  {
    name: 'e2e',
  },
);
countVitest(path.join(reports, 'e2e.json'));
// The desktop app: electron-vite's build, then electron-builder --dir on a stub Electron.
npx('electron-vite', ['build', '--logLevel', 'warn'], { name: 'build-app' });
step('packaging', 'node', ['scripts/check-packaging.mjs']);
step(
  'pytest',
  'python3',
  ['-m', 'pytest', '-q', `--junitxml=${path.join(reports, 'pytest.xml')}`],
  {
    cwd: path.join(root, 'training'),
  },
);
countJunit(path.join(reports, 'pytest.xml'));

process.stdout.write(
  `\n${failures.length ? `failed steps: ${failures.join(', ')}` : 'all steps ok'}\n`,
);
process.stdout.write(
  `total: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`,
);
process.exitCode = failures.length || counts.failed ? 1 : 0;
