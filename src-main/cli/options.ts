/** Command-line parsing for `anytag`, on node:util's parseArgs. */
import { parseArgs } from 'node:util';
import { AnytagError } from '../engine/errors.js';
import {
  EXECUTION_PROVIDERS,
  type ExecutionProviderName,
} from '../engine/model/execution-providers.js';

export const USAGE = `Usage: anytag <command> [options]

Commands:
  index <folder…>        index the photos under each folder (recursive); progress on stderr
  search <words…>        photos ranked by every word (AND); "quoted phrases" are one term
  tags <photo>           a photo's top tags; --label WORD scores extra (unseen) labels too
  status                 catalogue, active pack and execution provider
  packs                  installed model packs

Options:
  --data <dir>           data folder (default: the app's user-data folder, or $ANYTAG_DATA_DIR)
  --packs <dir>          an extra folder of model packs (searched first)
  --pack <id>            model pack to use (default: the active one, else the first installed)
  --provider <name>      auto | ${EXECUTION_PROVIDERS.join(' | ')} (default auto)
  --threads <n>          CPU threads for the model (default: onnxruntime's choice)
  --limit <n>            search results to print (default 20)
  --label <word>         (tags) an extra label to score; repeatable
  --json                 machine-readable output on stdout
  -h, --help             this help`;

export interface CliOptions {
  command: string | undefined;
  args: string[];
  data?: string;
  packs?: string;
  pack?: string;
  provider: ExecutionProviderName | 'auto';
  threads?: number;
  limit: number;
  labels: string[];
  json: boolean;
  help: boolean;
}

function positiveInt(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new AnytagError('INVALID_INPUT', `--${name} must be a whole number, got "${value}"`);
  return n;
}

export function parseCli(argv: string[]): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        data: { type: 'string' },
        packs: { type: 'string' },
        pack: { type: 'string' },
        provider: { type: 'string', default: 'auto' },
        threads: { type: 'string' },
        limit: { type: 'string' },
        label: { type: 'string', multiple: true },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new AnytagError('INVALID_INPUT', `${(error as Error).message}\n\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  const provider = values.provider ?? 'auto';
  if (provider !== 'auto' && !EXECUTION_PROVIDERS.includes(provider as ExecutionProviderName)) {
    throw new AnytagError(
      'INVALID_INPUT',
      `--provider must be auto or one of ${EXECUTION_PROVIDERS.join(', ')}, got "${provider}"`,
    );
  }
  return {
    command: positionals[0],
    args: positionals.slice(1),
    data: values.data,
    packs: values.packs,
    pack: values.pack,
    provider: provider as ExecutionProviderName | 'auto',
    threads: positiveInt('threads', values.threads),
    limit: positiveInt('limit', values.limit) ?? 20,
    labels: values.label ?? [],
    json: values.json ?? false,
    help: values.help ?? false,
  };
}
