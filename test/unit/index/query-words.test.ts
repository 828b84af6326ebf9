import { describe, expect, it } from 'vitest';
import {
  isCalendarDate,
  parseQuery,
  type QueryNode,
} from '../../../src-main/engine/index/query.js';
import { readQuery } from '../../../src-main/engine/index/query-words.js';

const show = (node: QueryNode | null): string => {
  if (!node) return '∅';
  if (node.type === 'term') return node.phrase ? `"${node.text}"` : node.text;
  if (node.type === 'not') return `-${show(node.child)}`;
  return `${node.type}(${node.children.map(show).join(' ')})`;
};

const LABELS = new Set(['hotdog', 'hot dog', 'dog', 'sea lion', 'can']);
const reading = {
  namesLabel: (text: string) => LABELS.has(text.toLowerCase()),
  isStopword: (word: string) => ['a', 'the', 'in', 'of', 'can'].includes(word),
};
const read = (query: string) => {
  const r = readQuery(parseQuery(query), reading);
  return { tree: show(r.query.root), dropped: r.dropped, joined: r.joined };
};

describe('reading a query as typed', () => {
  it('drops stopwords unless nothing else is left', () => {
    expect(read('a dog')).toEqual({ tree: 'dog', dropped: ['a'], joined: [] });
    expect(read('dog in the park')).toMatchObject({
      tree: 'and(dog park)',
      dropped: ['in', 'the'],
    });
    expect(read('the a')).toMatchObject({ tree: 'and(the a)', dropped: [] });
    expect(read('the')).toMatchObject({ tree: 'the', dropped: [] });
    expect(read('the -dog')).toMatchObject({ tree: 'and(the -dog)', dropped: [] });
  });

  it('keeps a stopword that names a label', () => {
    expect(read('a can')).toMatchObject({ tree: 'can', dropped: ['a'] });
  });

  it('joins adjacent words that name a label, longest run first', () => {
    expect(read('hot dog')).toEqual({ tree: '"hot dog"', dropped: [], joined: ['hot dog'] });
    expect(read('big sea lion dog')).toMatchObject({ tree: 'and(big "sea lion" dog)' });
    expect(read('hot OR dog')).toMatchObject({ tree: 'or(hot dog)', joined: [] });
    expect(read('"hot" dog')).toMatchObject({ tree: 'and("hot" dog)', joined: [] });
  });
});

describe('query dates', () => {
  it('accepts real days and timestamps only', () => {
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2024-02-29T10:00:00Z')).toBe(true);
    expect(isCalendarDate('2023-02-29')).toBe(false);
    expect(isCalendarDate('2024-02-30')).toBe(false);
    expect(isCalendarDate('1')).toBe(false);
    expect(isCalendarDate('2024-13-01')).toBe(false);
    expect(() => parseQuery('cat before:1')).toThrow(/before:1 is not a date/);
  });
});
