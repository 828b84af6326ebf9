#!/usr/bin/env node
// Entry point of `npx anytag`: the compiled CLI (run `npm run build` first).
import { main } from '../out/node/cli/main.js';

const code = await main();
process.exitCode = code;
// main() has saved and closed everything it opened; nothing left behind after a failure (a
// worker thread, a watcher, a socket) may keep the process alive: exit once output is written.
process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
