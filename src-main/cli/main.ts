/**
 * `anytag` — the command-line transport over the engine API. Results go to stdout (text, or
 * JSON with --json), progress and errors to stderr; exit status 1 on error, 2 on bad usage.
 */
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
  formatProgress,
  formatSearch,
  formatStatus,
  formatTags,
} from './format.js';
import { parseCli, USAGE, type CliOptions } from './options.js';
import { runVocab } from './vocab-command.js';
import { runPack } from './pack-command.js';

/** resources/packs of this installation: out/node/cli/main.js → <root>/resources/packs. */
export function bundledPackRoot(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../resources/packs');
}

async function run(options: CliOptions): Promise<void> {
  const write = (value: unknown, text: () => string): void => {
    process.stdout.write(`${options.json ? JSON.stringify(value, null, 2) : text()}\n`);
  };
  const engine = await Engine.open({
    dataDir: path.resolve(options.data ?? defaultDataDir()),
    packRoots: [...(options.packs ? [path.resolve(options.packs)] : []), bundledPackRoot()],
    packId: options.pack,
    provider: options.provider,
    threads: options.threads,
    // The web mode is the app: it follows the library folders like the desktop app does.
    watch: options.command === 'serve',
  });
  const api = new Api(engine);
  try {
    const loaded = engine.catalogue.loadReport;
    if (loaded.recoveredFrom) {
      process.stderr.write(
        `warning: the catalogue was unreadable (${loaded.problem}); recovered from ${loaded.recoveredFrom}\n`,
      );
    }
    switch (options.command) {
      case 'index': {
        if (options.args.length === 0)
          throw new AnytagError('INVALID_INPUT', 'index needs at least one folder');
        const started = performance.now();
        let last = 0;
        api.on('indexProgress', (p) => {
          const now = performance.now();
          if (now - last < 250 && p.done < p.total) return;
          last = now;
          process.stderr.write(
            process.stderr.isTTY ? `\r${formatProgress(p)}\x1b[K` : `${formatProgress(p)}\n`,
          );
        });
        const result = await api.call('indexPaths', { paths: options.args });
        if (process.stderr.isTTY) process.stderr.write('\n');
        const seconds = (performance.now() - started) / 1000;
        write({ ...result, seconds, provider: engine.provider }, () =>
          formatIndex(result, seconds),
        );
        return;
      }
      case 'search': {
        const result = await api.call('search', {
          query: options.args.join(' '),
          limit: options.limit,
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
        const absolute = path.resolve(photo);
        if (!engine.catalogue.photoByPath(absolute) && !engine.catalogue.photoById(photo)) {
          await api.call('indexPaths', { paths: [absolute] });
        }
        const ref = engine.catalogue.photoById(photo) ? photo : absolute;
        const result = await api.call('photoTags', { photo: ref, labels: options.labels });
        write(result, () => formatTags(result));
        return;
      }
      case 'status': {
        const result = await api.call('status', {});
        write(result, () => formatStatus(result));
        return;
      }
      case 'packs': {
        const result = await api.call('listPacks', {});
        write(result, () => formatPacks(result));
        return;
      }
      case 'pack':
        await runPack(api, options, write);
        return;
      case 'serve': {
        applySavedRuntimeSettings(engine, { provider: options.provider, threads: options.threads });
        const { serveUntilStopped } = await import('../server/serve.js');
        await serveUntilStopped(
          api,
          { host: options.host, port: options.port, token: options.token },
          (line) => process.stdout.write(line),
        );
        return;
      }
      default:
        throw new AnytagError('INVALID_INPUT', `Unknown command "${options.command}"\n\n${USAGE}`);
    }
  } finally {
    await engine.close();
  }
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
  return shape.code === 'INVALID_INPUT' ? 2 : 1;
}
