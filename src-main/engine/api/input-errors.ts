/**
 * A refused API input in words a user reads: "Label text is empty", "Limit must be at least 1",
 * "Sort order must be one of: taken-desc, taken-asc, …". The message names the field as a person
 * would and says what is wrong; the method and the field's path in the input (for developers and
 * scripts) go in `details`, never in the message, so the CLI, HTTP and the app show the same
 * plain sentence. Phrases the contract writes itself (`text()`'s "is empty", a refinement's
 * "must be a pack id: …") win over the defaults here (zod's schema-level messages come first).
 */
import type { z } from 'zod';
import { AnytagError } from '../errors.js';

/** A field's name as a person says it; [one item, the list] for list fields. */
type FieldName = string | readonly [string, string];

/** Input keys → plain names; `method.key` overrides a key that means something else there. */
const FIELD_NAMES: Record<string, FieldName> = {
  path: 'Path',
  'addFolder.path': 'Folder',
  'removeFolder.path': 'Folder',
  'setFolderPolling.path': 'Folder',
  'setTagWriting.path': 'Folder',
  'listDirectories.path': 'Folder',
  'importPack.path': 'Pack file or folder',
  id: 'Pack id',
  name: 'Name',
  'importPack.name': 'Pack name',
  'saveSearch.name': 'Search name',
  url: 'Download address',
  paths: ['Path', 'Paths'],
  polling: 'Polling',
  names: ['Folder name', 'Folder names'],
  mode: 'Writing mode',
  naming: 'Sidecar naming',
  folder: 'Folder',
  format: 'Export format',
  photo: 'Photo',
  photos: ['Photo', 'Photos'],
  labels: ['Label', 'Labels'],
  limit: 'Limit',
  offset: 'Offset',
  query: 'Search',
  'search.query': 'Search text',
  folders: ['Folder', 'Folders'],
  after: '"After" date',
  before: '"Before" date',
  taken: 'Date taken',
  matchedOnly: '"Matches only"',
  prefix: 'Word start',
  hidden: '"Hidden"',
  kind: 'Label kind',
  filter: 'Filter',
  text: 'Label text',
  aliases: ['Alias', 'Aliases'],
  label: 'Label',
  to: 'New name',
  alias: 'Alias',
  remove: '"Remove"',
  threshold: 'Threshold',
  nearest: 'Nearest',
  vote: 'Vote',
  sort: 'Sort order',
  state: 'Photo state',
  provider: 'Execution provider',
  threads: 'Threads',
};

const KINDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
};

/** Zod's error map for API inputs: a phrase that follows the field's name (see the header). */
export function inputIssuePhrase(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'is missing';
      return `must be ${KINDS[issue.expected] ?? issue.expected}`;
    case 'too_small':
      return tooSmall(issue.origin, Number(issue.minimum), issue.inclusive !== false);
    case 'too_big':
      return tooBig(issue.origin, Number(issue.maximum), issue.inclusive !== false);
    case 'invalid_value':
      return `must be one of: ${issue.values.map(String).join(', ')}`;
    case 'invalid_format':
      return `is not a valid ${issue.format}`;
    case 'unrecognized_keys':
      return `${issue.keys.map((k) => `"${k}"`).join(', ')} ${issue.keys.length > 1 ? 'are' : 'is'} not an input of this request`;
    default:
      return undefined;
  }
}

function tooSmall(origin: string, min: number, inclusive: boolean): string {
  if (origin === 'string') return min <= 1 ? 'is empty' : `is shorter than ${min} characters`;
  if (origin === 'array' || origin === 'set') {
    return min <= 1 ? 'is an empty list' : `must hold at least ${min} items`;
  }
  return inclusive ? `must be at least ${min}` : `must be more than ${min}`;
}

function tooBig(origin: string, max: number, inclusive: boolean): string {
  if (origin === 'string') return `is longer than ${max} characters`;
  if (origin === 'array' || origin === 'set') return `holds more than ${max} items`;
  return inclusive ? `must be at most ${max}` : `must be less than ${max}`;
}

/**
 * The field at `path` of `method`'s input, as a person names it ("Label text", "Alias 2"); null
 * for the input as a whole (an unknown key).
 */
export function fieldName(method: string, path: readonly PropertyKey[]): string | null {
  const keys = path.filter((part): part is string => typeof part === 'string');
  const key = keys.at(-1);
  if (key === undefined) return null;
  const known = FIELD_NAMES[`${method}.${key}`] ?? FIELD_NAMES[key];
  const index = path.at(-1);
  if (typeof index === 'number') {
    const one = Array.isArray(known) ? known[0] : (known ?? words(key));
    return `${one} ${index + 1}`;
  }
  return Array.isArray(known) ? known[1] : ((known as string | undefined) ?? words(key));
}

/** "matchedOnly" → "Matched only". */
function words(key: string): string {
  return capitalised(key.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase());
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * The INVALID_INPUT error for `method`'s refused input: one plain sentence per problem; details
 * hold the method and each problem's field path (dotted) and phrase, for developers.
 */
export function invalidInput(method: string, error: z.ZodError): AnytagError {
  const issues = error.issues.map((issue) => {
    const name = fieldName(method, issue.path);
    return {
      field: issue.path.map(String).join('.'),
      problem: issue.message,
      sentence: name === null ? capitalised(issue.message) : `${name} ${issue.message}`,
    };
  });
  return new AnytagError('INVALID_INPUT', issues.map((i) => i.sentence).join('; '), {
    method,
    fields: issues.map(({ field, problem }) => ({ field, problem })),
  });
}
