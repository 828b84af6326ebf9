/**
 * `anytag pack …`: the model manager from the terminal, over the same API as the app.
 *   list  import <path> [--id] [--name]  download [--url]  use <id>  remove <id>
 * `use` waits for the re-embedding it queues, with progress on stderr (the app does it in the
 * background); interrupting it is safe: the next `anytag index` or the app finishes the job.
 */
import type { ApiClient } from './remote-api.js';
import type { Engine } from '../engine/engine.js';
import type { ApiResults, PackProgress } from '../engine/api/contract.js';
import { AnytagError } from '../engine/errors.js';
import { formatPacks, formatProgress } from './format.js';
import type { CliOptions } from './options.js';

export const PACK_USAGE = `anytag pack <action>:
  list                             installed model packs (* = active)
  import <path> [--id x] [--name "…"]
                                   a pack folder, an .onnx with its pack.json beside it, or the
                                   official SDL checkpoint (.pth), converted
  download [--url <mirror>]        downloads the official SDL checkpoint (resumes), converts it
  use <id>                         makes a pack active and re-embeds the library with it
  remove <id>                      deletes a pack you added (not bundled, not the active one)`;

type Write = (value: unknown, text: () => string) => void;

/** `engine`: present when the command runs in this process (else it was sent to `anytag serve`,
 *  which re-embeds in the background). */
export async function runPack(
  api: ApiClient,
  options: CliOptions,
  write: Write,
  engine?: Engine,
): Promise<void> {
  const [action, ...args] = options.args;
  const one = (usage: string): string => {
    if (args.length !== 1) throw new AnytagError('INVALID_INPUT', `usage: anytag pack ${usage}`);
    return args[0]!;
  };
  const off = api.on('packProgress', (p) => process.stderr.write(`${describeProgress(p)}\n`));
  try {
    switch (action) {
      case undefined:
      case 'list': {
        const result = await api.call('listPacks', {});
        write(result, () => formatPacks(result));
        return;
      }
      case 'import': {
        const result = await api.call('importPack', {
          path: one('import <path>'),
          ...(options.id && { id: options.id }),
          ...(options.name && { name: options.name }),
        });
        write(result, () => describeImport(result));
        return;
      }
      case 'download': {
        const result = await api.call('downloadOfficialModel', {
          ...(options.url && { url: options.url }),
        });
        write(result, () => describeImport(result));
        return;
      }
      case 'use': {
        const result = await api.call('usePack', { id: one('use <id>') });
        process.stderr.write(
          `active pack: ${result.pack.id}; re-embedding ${result.reembedQueued} photos\n`,
        );
        if (result.reembedQueued > 0 && engine) await reembedInForeground(api, engine);
        write(result, () => `${result.pack.id} is active (${result.reembedQueued} re-embedded)`);
        return;
      }
      case 'remove': {
        const result = await api.call('removePack', { id: one('remove <id>') });
        write(result, () => `removed ${result.removed}`);
        return;
      }
      default:
        throw new AnytagError('INVALID_INPUT', `Unknown pack action "${action}"\n\n${PACK_USAGE}`);
    }
  } finally {
    off();
  }
}

/** Waits until the indexing queue is empty, printing its progress. */
async function reembedInForeground(api: ApiClient, engine: Engine): Promise<void> {
  const library = await engine.library();
  const off = api.on('indexProgress', (p) => process.stderr.write(`${formatProgress(p)}\n`));
  try {
    await library.queue.drained();
  } finally {
    off();
  }
}

function describeImport(result: ApiResults['importPack']): string {
  const { pack, conversion } = result;
  const lines = [`installed ${pack.id} (${pack.name}; K=${pack.k}, d=${pack.d}) in ${pack.dir}`];
  if (conversion) {
    lines.push(
      `  converted in ${conversion.seconds.toFixed(1)} s, peak memory ${(conversion.peakRssBytes / 2 ** 20).toFixed(0)} MiB, checkpoint sha256 ${conversion.checkpointSha256}`,
    );
    for (const warning of conversion.labelWarnings) lines.push(`  warning: ${warning}`);
  }
  lines.push(`  make it active with: anytag pack use ${pack.id}`);
  return lines.join('\n');
}

function describeProgress(p: PackProgress): string {
  const mib = (n: number): string => (n / 2 ** 20).toFixed(1);
  if (p.phase === 'downloading') {
    const total = p.totalBytes ? ` / ${mib(p.totalBytes)}` : '';
    return `downloading ${mib(p.receivedBytes ?? 0)}${total} MiB`;
  }
  if (p.phase === 'writing-model' && p.bytesTotal) {
    return `writing model.onnx ${mib(p.bytesWritten ?? 0)} / ${mib(p.bytesTotal)} MiB`;
  }
  return p.phase.replace('-', ' ');
}
