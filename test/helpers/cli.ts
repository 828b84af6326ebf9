/**
 * `anytag` as users run it: the compiled CLI (bin/anytag.js → out/node) in a child process, from
 * the repository root. For the CLI's integration tests; the real engine and packs, nothing else.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT, STARTER_PACK, requireBuilt } from './shared.js';

const run = promisify(execFile);

/** The CLI's entry point. */
export const ANYTAG_BIN = path.join(REPO_ROOT, 'bin', 'anytag.js');

/** Fails loudly (not a skip) unless the CLI and the starter pack are built. */
export function requireCliBuilt(): void {
  requireBuilt(path.join(REPO_ROOT, 'out', 'node', 'cli', 'main.js'), 'run `npm run build` first');
  requireBuilt(STARTER_PACK, 'run `npm run build:packs` first');
}

export interface CliOutcome {
  stdout: string;
  stderr: string;
  /** The exit status (0 when it succeeded; -1 when it was killed at `timeout`). */
  code: number;
}

/** Runs `anytag <args>`; a non-zero exit is an outcome, not a throw. `timeout` in ms. */
export async function runAnytag(args: string[], options: { timeout?: number } = {}) {
  try {
    const { stdout, stderr } = await run('node', [ANYTAG_BIN, ...args], {
      cwd: REPO_ROOT,
      ...options,
    });
    return { stdout, stderr, code: 0 } satisfies CliOutcome;
  } catch (error) {
    const e = error as CliOutcome & { killed?: boolean };
    return {
      stdout: e.stdout,
      stderr: e.stderr,
      code: e.killed ? -1 : e.code,
    } satisfies CliOutcome;
  }
}
