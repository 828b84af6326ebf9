/** Command-line parsing for `anytag`, on node:util's parseArgs. */
import { parseArgs } from 'node:util';
import { shieldNegativeNumbers, unshield } from './negative-numbers.js';
import { AnytagError } from '../engine/errors.js';
import { EXECUTION_PROVIDERS, type ExecutionProviderName } from '../engine/api/contract.js';

export const USAGE = `Usage: anytag <command> [options]

Commands:
  index <folder…>        index the photos under each folder (recursive); progress on stderr
  search <query…>        the photos matching the query: words AND by default, OR, NOT word
                         or -word, "quoted phrases", ( ), folder:DIR after:DATE before:DATE
                         taken:YYYY[-MM[-DD]]|none; --folder/--after/--before filter too; --closest lists the closest
                         weaker photos after the matches (shown anyway when few match)
  vocab <action> …       labels: list | add | rm | rename | hide | show | alias | threshold |
                         preview | up | down | clear | calibrate (anytag vocab for details)
  tags <photo>           a photo's top tags; --label WORD scores extra (unseen) labels too;
                         --all ranks every seen label, no threshold (--limit N: the first N).
                         A file outside the library is scored without being added to it
  status                 catalogue, active pack and execution provider
  packs                  installed model packs (= pack list)
  pack <action> …        model packs: list | import <path> | download | use <id> |
                         remove <id> (anytag pack for details)
  export                 every photo's tags, own keywords and capture data on stdout (or
                         --out FILE): --format json (default) | csv; --folder DIR: one folder
  serve                  the web mode: the app in a browser, at the printed address
  browse folders|dates   the folder tree with photo counts, or photo counts per capture year
                         and month (--folder DIR: one folder's); taken:YYYY-MM searches one

Options:
  --data <dir>           data folder (default: the app's user-data folder, or $ANYTAG_DATA_DIR)
  --packs <dir>          an extra folder of model packs (searched first)
  --pack <id>            model pack to use (default: the active one, else the first installed)
  --provider <name>      auto | ${EXECUTION_PROVIDERS.join(' | ')} (default auto)
  --threads <n>          CPU threads for the model (default: onnxruntime's choice)
  --limit <n>            results to print (default 20; tags --all: every label)
  --label <word>         (tags) an extra label to score; repeatable
  --folder <dir>         (search) only photos under this folder; repeatable; (export, browse
                         dates) one folder
  --after <date>         (search) only photos from this date (YYYY-MM-DD) on
  --before <date>        (search) only photos up to this date
  --closest              (search) the closest weaker photos too, after the matches
  --matched              (search) only matches, even when few
  --alias <word>         (vocab add, preview) a synonym of the label; repeatable
  --remove               (vocab alias) take the aliases off instead
  --threshold <n>        (vocab preview) preview at this threshold
  --all                  (vocab list) hidden labels too; (tags) every seen label, ranked
  --id <id>              (pack import) the id of a converted checkpoint's pack
  --name <text>          (pack import) its display name
  --url <url>            (pack download) a mirror of the official checkpoint
  --format <json|csv>    (export) the file format (default json)
  --out <file>           (export) write to this file instead of stdout
  --json                 machine-readable output on stdout
  --host <addr>          (serve) address to listen on (default 127.0.0.1)
  --port <n>             (serve) port (default 4170; 0 picks a free one)
  --token <secret>       (serve) access token (default $ANYTAG_TOKEN, else a new one, printed in
                         the address to open)
  --no-token             (serve, loopback only) no token: any local user and program may use it
  -h, --help             this help`;

export interface CliOptions {
  command: string | undefined;
  args: string[];
  data?: string;
  packs?: string;
  pack?: string;
  provider: ExecutionProviderName | 'auto';
  threads?: number;
  /** --limit, when given; commands default to DEFAULT_LIMIT (tags --all: every label). */
  limit?: number;
  labels: string[];
  folders: string[];
  after?: string;
  before?: string;
  matched: boolean;
  closest: boolean;
  aliases: string[];
  remove: boolean;
  threshold?: number;
  all: boolean;
  id?: string;
  name?: string;
  url?: string;
  format?: string;
  out?: string;
  json: boolean;
  help: boolean;
  host?: string;
  port?: number;
  token?: string;
  noToken: boolean;
}

/** Results printed when --limit is not given. */
export const DEFAULT_LIMIT = 20;

/** The commands USAGE lists; any other is refused before the data folder is opened. */
const COMMANDS = new Set([
  'index',
  'search',
  'vocab',
  'tags',
  'status',
  'packs',
  'pack',
  'export',
  'serve',
  'browse',
]);

/** Query syntax in an argument: quotes, ( ) | & filters, a -word, OR / AND / NOT. */
const QUERY_SYNTAX = /["()|&:]|(?:^|\s)(?:-|(?:OR|AND|NOT)(?:\s|$))/;

/**
 * The query of `anytag search <words…>` as one string. The shell has already split it: an
 * argument that still holds a space was quoted by the user, so it stays one phrase
 * (`search red "hot air balloon"` → `red "hot air balloon"`), unless it is a query of its own
 * (`search 'bird OR parrot -cage'`), which passes as written.
 */
export function searchQuery(args: readonly string[]): string {
  return args
    .map((arg) => arg.trim())
    .map((arg) => (/\s/.test(arg) && !QUERY_SYNTAX.test(arg) ? `"${arg}"` : arg))
    .join(' ');
}

function positiveInt(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new AnytagError(
      'INVALID_INPUT',
      `--${name} must be a whole number (0 or more), got "${value}"`,
    );
  return n;
}

const OPTIONS = {
  data: { type: 'string' },
  packs: { type: 'string' },
  pack: { type: 'string' },
  provider: { type: 'string', default: 'auto' },
  threads: { type: 'string' },
  limit: { type: 'string' },
  label: { type: 'string', multiple: true },
  folder: { type: 'string', multiple: true },
  after: { type: 'string' },
  before: { type: 'string' },
  matched: { type: 'boolean', default: false },
  closest: { type: 'boolean', default: false },
  alias: { type: 'string', multiple: true },
  remove: { type: 'boolean', default: false },
  threshold: { type: 'string' },
  all: { type: 'boolean', default: false },
  id: { type: 'string' },
  name: { type: 'string' },
  url: { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
  host: { type: 'string' },
  port: { type: 'string' },
  token: { type: 'string' },
  'no-token': { type: 'boolean', default: false },
} as const;

/**
 * In `search`, a word after a minus ("-owl") is the query's NOT, not an option: it is moved
 * behind a `--` so the option parser leaves it alone. Options stay options ("-h", "--json").
 */
export function liftNegatedWords(argv: readonly string[]): string[] {
  const end = argv.indexOf('--');
  const head = end < 0 ? [...argv] : argv.slice(0, end);
  const tail = end < 0 ? [] : argv.slice(end + 1);
  // The command: the first argument that is neither an option nor an option's value.
  let command: string | undefined;
  for (let i = 0; i < head.length && command === undefined; i++) {
    const arg = head[i]!;
    const name = /^--([^=]+)$/.exec(arg)?.[1];
    if (name && OPTIONS[name as keyof typeof OPTIONS]?.type === 'string') i++;
    else if (!arg.startsWith('-')) command = arg;
  }
  if (command !== 'search') return [...argv];
  const negated = head.filter((a) => /^-\p{L}[\p{L}\p{N}'-]+$/u.test(a));
  if (negated.length === 0) return [...argv];
  return [...head.filter((a) => !negated.includes(a)), '--', ...tail, ...negated];
}

export function parseCli(argv: string[]): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: shieldNegativeNumbers(liftNegatedWords(argv)),
      allowPositionals: true,
      options: OPTIONS,
    });
  } catch (error) {
    throw new AnytagError('INVALID_INPUT', `${(error as Error).message}\n\n${USAGE}`);
  }
  const positionals = parsed.positionals.map(unshield);
  const values = Object.fromEntries(
    Object.entries(parsed.values).map(([name, value]) => [
      name,
      typeof value === 'string'
        ? unshield(value)
        : Array.isArray(value)
          ? value.map((v) => unshield(v))
          : value,
    ]),
  ) as typeof parsed.values;
  const provider = values.provider ?? 'auto';
  if (provider !== 'auto' && !EXECUTION_PROVIDERS.includes(provider as ExecutionProviderName)) {
    throw new AnytagError(
      'INVALID_INPUT',
      `--provider must be auto or one of ${EXECUTION_PROVIDERS.join(', ')}, got "${provider}"`,
    );
  }
  const command = positionals[0];
  if (command !== undefined && !COMMANDS.has(command))
    throw new AnytagError('INVALID_INPUT', `Unknown command "${command}"\n\n${USAGE}`);
  return {
    command,
    args: positionals.slice(1),
    data: values.data,
    packs: values.packs,
    pack: values.pack,
    provider: provider as ExecutionProviderName | 'auto',
    threads: positiveInt('threads', values.threads),
    limit: positiveInt('limit', values.limit),
    labels: values.label ?? [],
    folders: values.folder ?? [],
    after: values.after,
    before: values.before,
    matched: values.matched ?? false,
    closest: values.closest ?? false,
    aliases: values.alias ?? [],
    remove: values.remove ?? false,
    threshold: values.threshold === undefined ? undefined : Number(values.threshold),
    all: values.all ?? false,
    id: values.id,
    name: values.name,
    url: values.url,
    format: values.format,
    out: values.out,
    json: values.json ?? false,
    help: values.help ?? false,
    host: values.host,
    port: positiveInt('port', values.port),
    token: values.token,
    noToken: values['no-token'] ?? false,
  };
}
