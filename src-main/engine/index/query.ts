/**
 * The search syntax, parsed to a tree:
 *   cat dog            AND (the default; `AND` may be written)
 *   cat OR dog         OR (also `|`); binds tighter than AND, as in web search engines:
 *                      `a b OR c -d` = a AND (b OR c) AND NOT d
 *   -cat, NOT cat      NOT
 *   "red car"          a phrase: one term, the mean of its words
 *   (cat OR dog) -toy  grouping
 *   folder:/photos/2024  after:2024-01-01  before:2024-12-31   filters (quotes allowed)
 *   camera:"eos 5d"  lens:50mm  rating:4 (exactly) rating:3+ (at least) rating:2-4  keyword:heron
 *   taken:2024  taken:2024-05  taken:2024-05-17  taken:none   the capture date's year, month or
 *                      day as the photo wrote it (none: photos that name no capture date)
 *                      metadata filters (metadata-filter.ts applies them)
 */
import { AnytagError } from '../errors.js';

export type QueryNode =
  | { type: 'term'; text: string; phrase: boolean }
  | { type: 'and'; children: QueryNode[] }
  | { type: 'or'; children: QueryNode[] }
  | { type: 'not'; child: QueryNode };

export interface QueryFilters {
  folders: string[];
  /** ISO dates (YYYY-MM-DD or full timestamps), inclusive. */
  after?: string;
  before?: string;
  /** camera:, lens:, keyword: (each repeatable, all must hold) and rating:. */
  camera?: string[];
  lens?: string[];
  keyword?: string[];
  /** Inclusive star range. */
  rating?: { min: number; max: number };
  /** A capture year, month or day (YYYY, YYYY-MM, YYYY-MM-DD), or 'none' (see takenPeriod). */
  taken?: string;
}

export interface ParsedQuery {
  /** null when the query holds only filters. */
  root: QueryNode | null;
  filters: QueryFilters;
}

type Token =
  | { kind: 'word' | 'phrase'; text: string; at: number }
  | { kind: '(' | ')' | '-' | 'OR' | 'AND' | 'NOT'; at: number };

const FILTER_NAMES = [
  'folder',
  'after',
  'before',
  'camera',
  'lens',
  'rating',
  'keyword',
  'taken',
] as const;
type FilterName = (typeof FILTER_NAMES)[number];
const FILTER = new RegExp(`^(${FILTER_NAMES.join('|')}):(.*)$`, 'i');
const QUOTED_FILTER = new RegExp(`\\b(${FILTER_NAMES.join('|')}):"([^"]*)"`, 'gi');

function tokenise(query: string, filters: QueryFilters): Token[] {
  const tokens: Token[] = [];
  const pattern = /\s+|(\()|(\))|(-)(?=[^\s)])|"([^"]*)("?)|([^\s()"]+)/gy;
  for (const match of query.matchAll(pattern)) {
    const at = match.index;
    if (match[1]) tokens.push({ kind: '(', at });
    else if (match[2]) tokens.push({ kind: ')', at });
    else if (match[3]) tokens.push({ kind: '-', at });
    else if (match[4] !== undefined) {
      if (!match[5]) fail(`unclosed quote at character ${at + 1}`, query);
      if (match[4].trim()) tokens.push({ kind: 'phrase', text: match[4].trim(), at });
    } else if (match[6]) {
      const word = match[6];
      const filter = FILTER.exec(word);
      if (filter) {
        readFilter(filter[1]!.toLowerCase() as FilterName, filter[2]!, query, filters);
      } else if (word === 'OR' || word === '|') tokens.push({ kind: 'OR', at });
      else if (word === 'AND' || word === '&') tokens.push({ kind: 'AND', at });
      else if (word === 'NOT') tokens.push({ kind: 'NOT', at });
      else tokens.push({ kind: 'word', text: word, at });
    }
  }
  return tokens;
}

function readFilter(name: FilterName, value: string, query: string, filters: QueryFilters): void {
  const text = value.replace(/^"|"$/g, '');
  if (!text) fail(`${name}: needs a value`, query);
  if (name === 'folder') filters.folders.push(text);
  else if (name === 'camera' || name === 'lens' || name === 'keyword') {
    (filters[name] ??= []).push(text);
  } else if (name === 'rating') filters.rating = readRating(text, query);
  else if (name === 'taken') {
    if (!isTakenPeriod(text)) {
      fail(
        `taken:${text} is not a year, month or day: write 2024, 2024-05, 2024-05-17 or none`,
        query,
      );
    }
    filters.taken = text;
  } else {
    if (!isCalendarDate(text)) {
      fail(`${name}:${text} is not a date: write YYYY-MM-DD (e.g. 2024-02-29)`, query);
    }
    filters[name] = text;
  }
}

/**
 * A real day as YYYY-MM-DD, optionally with a time (YYYY-MM-DDTHH:MM[:SS[.sss]][Z|±HH:MM]):
 * 2024-02-30 and 1 are not dates, though Date.parse reads the one as March 1st and the other
 * as the year 2001.
 */
export function isCalendarDate(text: string): boolean {
  const match =
    /^(\d{4})-(\d{2})-(\d{2})(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    !Number.isNaN(Date.parse(text))
  );
}

/**
 * A capture period as `taken:` and the date browser name it: a year (YYYY), a month (YYYY-MM),
 * a real day (YYYY-MM-DD), or `none` (photos that name no capture date).
 */
export function isTakenPeriod(text: string): boolean {
  if (text === 'none' || /^\d{4}$/.test(text)) return true;
  const month = /^\d{4}-(\d{2})$/.exec(text);
  if (month) return Number(month[1]) >= 1 && Number(month[1]) <= 12;
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && isCalendarDate(text);
}

/** rating:4 (exactly), rating:3+ (at least), rating:2-4 (a range); stars from -1 to 5. */
function readRating(text: string, query: string): { min: number; max: number } {
  const match = /^(-1|[0-5])(?:(\+)|-([0-5]))?$/.exec(text);
  if (!match) fail(`rating:${text} is not a rating (e.g. 4, 3+ or 2-4; stars 0 to 5)`, query);
  const min = Number(match[1]);
  const max = match[2] ? 5 : match[3] !== undefined ? Number(match[3]) : min;
  if (max < min) fail(`rating:${text} is an empty range`, query);
  return { min, max };
}

/** True when the query holds any filter. */
function hasFilters(filters: QueryFilters): boolean {
  return Boolean(
    filters.folders.length ||
    filters.after ||
    filters.before ||
    filters.camera ||
    filters.lens ||
    filters.keyword ||
    filters.rating ||
    filters.taken,
  );
}

/** Parses a query; INVALID_INPUT names what is wrong and where. */
export function parseQuery(query: string): ParsedQuery {
  const filters: QueryFilters = { folders: [] };
  // folder:"a b" → one token before the general pass.
  const unquoted = query.replace(QUOTED_FILTER, (_, name: string, value: string) => {
    readFilter(name.toLowerCase() as FilterName, value, query, filters);
    return ' ';
  });
  const tokens = tokenise(unquoted, filters);
  let next = 0;
  const peek = (): Token | undefined => tokens[next];

  const parseAnd = (): QueryNode => {
    const children: QueryNode[] = [];
    for (let token = peek(); token && token.kind !== ')'; token = peek()) {
      if (token.kind === 'AND') {
        next++;
        continue;
      }
      if (token.kind === 'OR')
        fail(`OR at character ${token.at + 1} needs a term before it`, query);
      children.push(parseOr());
    }
    if (children.length === 0) fail('expected a word', query);
    return children.length === 1 ? children[0]! : { type: 'and', children };
  };

  const parseOr = (): QueryNode => {
    const children = [parseUnary()];
    while (peek()?.kind === 'OR') {
      next++;
      const after = peek();
      if (!after || after.kind === ')' || after.kind === 'OR' || after.kind === 'AND') {
        fail('OR needs a term after it', query);
      }
      children.push(parseUnary());
    }
    return children.length === 1 ? children[0]! : { type: 'or', children };
  };

  const parseUnary = (): QueryNode => {
    const token = tokens[next++];
    if (!token) return fail('the query ends too early', query);
    switch (token.kind) {
      case '-':
      case 'NOT':
        if (!peek()) fail(`nothing to exclude after "${token.kind}"`, query);
        return { type: 'not', child: parseUnary() };
      case '(': {
        const inner = parseAnd();
        if (tokens[next++]?.kind !== ')')
          fail(`"(" at character ${token.at + 1} is not closed`, query);
        return inner;
      }
      case 'word':
      case 'phrase':
        return { type: 'term', text: token.text, phrase: token.kind === 'phrase' };
      default:
        return fail(`unexpected "${token.kind}" at character ${token.at + 1}`, query);
    }
  };

  if (tokens.length === 0) {
    if (hasFilters(filters)) return { root: null, filters };
    fail('the query has no words', query);
  }
  const root = parseAnd();
  if (next < tokens.length)
    fail(`unexpected "${tokens[next]!.kind}" at character ${tokens[next]!.at + 1}`, query);
  return { root, filters };
}

/** Every term of a tree, in order, once each. */
export function termsOf(
  node: QueryNode | null,
  out = new Map<string, QueryNode & { type: 'term' }>(),
) {
  if (!node) return out;
  if (node.type === 'term') {
    if (!out.has(node.text)) out.set(node.text, node);
  } else if (node.type === 'not') termsOf(node.child, out);
  else for (const child of node.children) termsOf(child, out);
  return out;
}

function fail(why: string, query: string): never {
  throw new AnytagError('INVALID_INPUT', `Search "${query}": ${why}`, { query });
}
