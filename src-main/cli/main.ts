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
  formatProgress,
  formatRanking,
  formatSearch,
  formatStatus,
  formatTags,
} from './format.js';
import { DEFAULT_LIMIT, parseCli, USAGE, type CliOptions } from './options.js';
import { runVocab } from './vocab-command.js';
import { runPack } from './pack-command.js';

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
          limit: options.limit ?? DEFAULT_LIMIT,
          folders: options.folders.map((f) => path.resolve(f)),
          matchedOnly: options.matched,
          ...(options.after && { after: options.after }),
          ...(options.before && { before: options.before }),
        });
        write(result, () => formatSearch(result));
        return;
      }
      case 'vocab':
        await runVocab(api, options, write);
        return;
      case 'tags': {
        const [photo] = options.args;
        if (!photo || options.args.length > 1)
          throw new AnytagError('INVALID_INPUT', 'tags needs exactly one photo');
        const byId = engine.catalogue.photoById(photo);
        const ref = byId ? photo : path.resolve(photo);
        if (options.all || !(byId ?? engine.catalogue.photoByPath(ref))) {
          // The full ranking, or a file outside the library: scored, never catalogued.
          const result = await api.call('rankLabels', {
            photo: ref,
            labels: options.labels,
            limit: options.limit ?? (options.all ? undefined : TAGS_OUTSIDE_LIBRARY),
          });
          write(result, () => formatRanking(result));
          return;
        }
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
  try {
    options = parseCli(argv);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 2;
  }
  if (options.help || !options.command) {
    process.stdout.write(`${USAGE}\n`);
    return options.help ? 0 : 2;
  }
  try {
    await run(options);
    return 0;
  } catch (error) {
    const shape = toErrorShape(error);
    if (options.json) process.stdout.write(`${JSON.stringify({ error: shape }, null, 2)}\n`);
    process.stderr.write(`error ${shape.code}: ${shape.message}\n`);
    return shape.code === 'INVALID_INPUT' ? 2 : 1;
  }
}
