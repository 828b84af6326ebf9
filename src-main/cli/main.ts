/**
 * `anytag` — the command-line transport over the engine API. Results go to stdout (text, or
 * JSON with --json), progress and errors to stderr; exit status 1 on error, 2 on bad usage.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Api } from '../engine/api/api.js';
import { Engine } from '../engine/engine.js';
import { AnytagError, toErrorShape } from '../engine/errors.js';
import { defaultDataDir } from '../engine/paths.js';
import { applySavedRuntimeSettings } from '../engine/api/runtime-settings.js';
import {
  formatIndex,
  formatPacks,
  formatRanking,
  formatSearch,
  formatStatus,
  formatTags,
} from './format.js';
import { DEFAULT_LIMIT, parseCli, searchQuery, USAGE, type CliOptions } from './options.js';
import { runVocab } from './vocab-command.js';
import { runPack } from './pack-command.js';
import { runBrowse } from './browse-command.js';
import { recoveryHint } from './recovery-hints.js';
import { progressLines } from './progress-lines.js';
import { accessFor, forwardTarget } from './forwarding.js';
import type { ApiClient } from './remote-api.js';

/** Labels `tags` prints for a photo outside the library (no vocabulary thresholds to apply). */
const TAGS_OUTSIDE_LIBRARY = 10;

/** resources/packs of this installation: out/node/cli/main.js → <root>/resources/packs. */
export function bundledPackRoot(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../resources/packs');
}

async function run(options: CliOptions): Promise<void> {
  const write = (value: unknown, text: () => string): void => {
    process.stdout.write(`${options.json ? JSON.stringify(value, null, 2) : text()}\n`);
  };
  const dataDir = path.resolve(options.data ?? defaultDataDir());
  let engine: Engine;
  try {
    engine = await Engine.open({
      dataDir,
      packRoots: [...(options.packs ? [path.resolve(options.packs)] : []), bundledPackRoot()],
      packId: options.pack,
      provider: options.provider,
      threads: options.threads,
      // The web mode is the app: it follows the library folders like the desktop app does.
      watch: options.command === 'serve',
      prepareQueries: options.command !== 'index',
      deferCalibration: options.command === 'index',
      access: accessFor(options),
      command: ['anytag', options.command, ...options.args].join(' ').slice(0, 200),
    });
  } catch (error) {
    const target = forwardTarget(error, options, dataDir);
    if (!target) throw error;
    const remote = target.api;
    process.stderr.write(
      `the data folder is in use by ${target.holder} at ${remote.base}: sending this command there\n`,
    );
    try {
      await runCommand(remote, undefined, options, write);
    } finally {
      remote.close();
    }
    return;
  }
  try {
    const loaded = engine.catalogue.loadReport;
    if (loaded.recoveredFrom) {
      process.stderr.write(
        `warning: the catalogue was unreadable (${loaded.problem}); recovered from ${loaded.recoveredFrom}: ${loaded.lost}\n`,
      );
    }
    const readOnly = engine.dataFolder.readOnly;
    if (readOnly?.why === 'not-writable') process.stderr.write(`warning: ${readOnly.message}\n`);
    await runCommand(new Api(engine), engine, options, write);
    for (const notice of engine.notices) process.stderr.write(`note: ${notice}\n`);
  } finally {
    await engine.close();
  }
}

type Write = (value: unknown, text: () => string) => void;

/** One command over the API; `engine` is there when it runs in this process (not forwarded). */
async function runCommand(
  api: ApiClient,
  engine: Engine | undefined,
  options: CliOptions,
  write: Write,
): Promise<void> {
  switch (options.command) {
    case 'index': {
      if (options.args.length === 0)
        throw new AnytagError('INVALID_INPUT', 'index needs at least one folder');
      const started = performance.now();
      const lines = progressLines((text) => process.stderr.write(text), {
        terminal: process.stderr.isTTY,
      });
      const off = api.on('indexProgress', (p) => lines.update(p));
      const paths = options.args.map((p) => path.resolve(p));
      const result = await api.call('indexPaths', { paths }).finally(() => {
        off();
        lines.flush();
      });
      if (process.stderr.isTTY) process.stderr.write('\n');
      const seconds = (performance.now() - started) / 1000;
      const provider = engine ? engine.provider : (await api.call('status', {})).provider;
      write({ ...result, seconds, provider }, () => formatIndex(result, seconds));
      return;
    }
    case 'search': {
      const result = await api.call('search', {
        query: searchQuery(options.args),
        limit: options.limit ?? DEFAULT_LIMIT,
        folders: options.folders.map((f) => path.resolve(f)),
        matchedOnly: options.matched,
        ...(options.after && { after: options.after }),
        ...(options.before && { before: options.before }),
      });
      write(result, () => formatSearch(result, options.closest));
      return;
    }
    case 'vocab':
      await runVocab(api, options, write);
      return;
    case 'tags': {
      const [photo] = options.args;
      if (!photo || options.args.length > 1)
        throw new AnytagError('INVALID_INPUT', 'tags needs exactly one photo');
      const found = await catalogueRef(api, photo);
      if (options.all || !found) {
        // The full ranking, or a file outside the library: scored, never catalogued.
        const result = await api.call('rankLabels', {
          photo: found ?? path.resolve(photo),
          labels: options.labels,
          limit: options.limit ?? (options.all ? undefined : TAGS_OUTSIDE_LIBRARY),
        });
        write(result, () => formatRanking(result));
        return;
      }
      const result = await api.call('photoTags', { photo: found, labels: options.labels });
      write(result, () => formatTags(result));
      return;
    }
    case 'status': {
      const result = await api.call('status', {});
      write(result, () => formatStatus(result));
      // The status's own notices (the active pack not found); the engine's are said after it.
      for (const notice of result.notices ?? []) {
        if (!engine?.notices.includes(notice)) process.stderr.write(`note: ${notice}\n`);
      }
      // A damaged pack: the way out, as a failed command would give it (recovery-hints.ts).
      const hint = result.packProblem && recoveryHint(result.packProblem.code);
      if (hint) process.stderr.write(`hint: ${hint}\n`);
      return;
    }
    case 'packs': {
      const result = await api.call('listPacks', {});
      write(result, () => formatPacks(result));
      return;
    }
    case 'pack':
      await runPack(api, options, write, engine);
      return;
    case 'browse':
      await runBrowse(api, options, write);
      return;
    case 'export': {
      const format = options.format ?? 'json';
      if (format !== 'json' && format !== 'csv') {
        throw new AnytagError('INVALID_INPUT', `--format must be json or csv, got "${format}"`);
      }
      const [folder] = options.folders;
      const result = await api.call('exportTags', {
        format,
        ...(folder && { folder: path.resolve(folder) }),
      });
      if (options.out) {
        await writeFile(options.out, result.content);
        process.stderr.write(`${result.photos} photos written to ${options.out}\n`);
      } else process.stdout.write(result.content);
      return;
    }
    case 'serve': {
      if (!engine) throw new AnytagError('INVALID_INPUT', 'serve runs only in its own process');
      applySavedRuntimeSettings(engine, { provider: options.provider, threads: options.threads });
      const { serveUntilStopped } = await import('../server/serve.js');
      await serveUntilStopped(
        api as Api,
        { host: options.host, port: options.port, token: options.token, noToken: options.noToken },
        (line) => process.stdout.write(line),
        engine.dataFolder.lock ?? undefined,
      );
      return;
    }
    default:
      throw new AnytagError('INVALID_INPUT', `Unknown command "${options.command}"\n\n${USAGE}`);
  }
}

/** How the catalogue knows `photo` (its id, or its absolute path), or null when it does not. */
async function catalogueRef(api: ApiClient, photo: string): Promise<string | null> {
  for (const ref of [photo, path.resolve(photo)]) {
    try {
      await api.call('photoTags', { photo: ref, labels: [] });
      return ref;
    } catch (error) {
      if (!(error instanceof AnytagError && error.code === 'NOT_FOUND')) throw error;
    }
  }
  return null;
}

export async function main(argv = process.argv.slice(2)): Promise<number> {
  let options: CliOptions;
  // Bad usage is answered like any error: under --json, one JSON document on stdout.
  const json = argv.includes('--json');
  try {
    options = parseCli(argv);
  } catch (error) {
    return fail(error, json);
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (!options.command) {
    return fail(new AnytagError('INVALID_INPUT', `A command is needed\n\n${USAGE}`), json);
  }
  try {
    await run(options);
    return 0;
  } catch (error) {
    return fail(error, options.json);
  }
}

/** Reports an error (stderr; also stdout as {error} under --json); exit 2 for bad input, else 1. */
function fail(error: unknown, json: boolean): number {
  const shape = toErrorShape(error);
  if (json) process.stdout.write(`${JSON.stringify({ error: shape }, null, 2)}\n`);
  process.stderr.write(`error ${shape.code}: ${shape.message}\n`);
  const hint = recoveryHint(shape.code);
  if (hint) process.stderr.write(`hint: ${hint}\n`);
  return shape.code === 'INVALID_INPUT' ? 2 : 1;
}
