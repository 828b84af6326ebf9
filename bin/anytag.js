#!/usr/bin/env node
// Entry point of `npx anytag`: the compiled CLI (run `npm run build` first).
import { main } from '../out/node/cli/main.js';

process.exitCode = await main();
