#!/usr/bin/env node
// Starts Anytag the best way this machine allows: the Electron app where there is a display and
// the Electron binary; otherwise the web mode (`anytag serve`) if built, else the CLI.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);

/**
 * The Electron binary npm installed, or null. Reads electron's own record of it (path.txt)
 * rather than require('electron'), which tries to download a missing binary on the spot.
 */
function electronBinary() {
  const dir = path.join(root, 'node_modules', 'electron');
  const record = path.join(dir, 'path.txt');
  if (!existsSync(record)) return null;
  const binary = path.join(dir, 'dist', readFileSync(record, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

const hasDisplay =
  process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
const electron = hasDisplay ? electronBinary() : null;
const run = (command, commandArgs) =>
  (process.exitCode = spawnSync(command, commandArgs, { stdio: 'inherit', cwd: root }).status ?? 1);

if (hasDisplay && electron && existsSync(path.join(root, 'electron.vite.config.ts'))) {
  run('npx', ['--no-install', 'electron-vite', 'build']);
  if (process.exitCode === 0) run(electron, [root, ...args]);
} else {
  const why = !hasDisplay ? 'no display' : 'no Electron binary (npm could not download it)';
  const serve = existsSync(path.join(root, 'out/node/server/serve.js'));
  console.error(`Anytag: ${why}, so the desktop app cannot open here.`);
  if (serve && !existsSync(path.join(root, 'out/renderer/index.html'))) {
    run('npx', [
      '--no-install',
      'vite',
      'build',
      '--config',
      'vite.renderer.config.ts',
      '--logLevel',
      'warn',
    ]);
  }
  if (serve) {
    console.error('Starting the web mode instead: open the address below in a browser.');
    run('node', ['bin/anytag.js', 'serve', ...args]);
  } else if (args.length) {
    run('node', ['bin/anytag.js', ...args]);
  } else {
    console.error(
      'Use the command-line tool, e.g.:\n  npx anytag index ~/Pictures\n  npx anytag search bird\n',
    );
    run('node', ['bin/anytag.js', 'status']);
  }
}
