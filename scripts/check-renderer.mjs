#!/usr/bin/env node
// svelte-check on the renderer. Its program also walks the engine files the API contract's types
// come from, under the browser's lib (where Node-only code can look wrong); tsc checks those with
// the Node settings, so only diagnostics in src-renderer/ count here.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const result = spawnSync(
  'npx',
  [
    '--no-install',
    'svelte-check',
    '--tsconfig',
    'src-renderer/tsconfig.json',
    '--output',
    'machine-verbose',
  ],
  { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
);
if (result.error) throw result.error;
let problems = 0;
let outside = 0;
for (const line of result.stdout.split('\n')) {
  const json = line.slice(line.indexOf(' ') + 1);
  if (!json.startsWith('{')) continue;
  const diagnostic = JSON.parse(json);
  if (!String(diagnostic.filename).startsWith('src-renderer/')) {
    outside++;
    continue;
  }
  problems++;
  const { line: row, character } = diagnostic.start ?? { line: 0, character: 0 };
  console.log(
    `${diagnostic.type} ${diagnostic.filename}:${row + 1}:${character + 1} ${diagnostic.message}`,
  );
}
console.log(
  `svelte-check: ${problems} problem(s) in src-renderer/` +
    (outside ? ` (${outside} outside it, left to tsc -p tsconfig.node.json)` : ''),
);
process.exitCode = problems > 0 || result.status === null ? 1 : 0;
