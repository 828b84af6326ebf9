import { describe, expect, it } from 'vitest';
import { parseQuery, type QueryNode } from '../../../src-main/engine/index/query.js';

/** A compact text form of the tree: AND(a, OR(b, c), NOT(d)). */
function show(node: QueryNode | null): string {
  if (!node) return '∅';
  switch (node.type) {
    case 'term':
      return node.phrase ? `"${node.text}"` : node.text;
    case 'not':
      return `NOT(${show(node.child)})`;
    default:
      return `${node.type.toUpperCase()}(${node.children.map(show).join(', ')})`;
  }
}

const tree = (query: string): string => show(parseQuery(query).root);

describe('query syntax', () => {
  it('ANDs words by default and keeps quoted phrases whole', () => {
    expect(tree('cat')).toBe('cat');
    expect(tree('red car "red car"')).toBe('AND(red, car, "red car")');
    expect(tree('cat AND dog')).toBe('AND(cat, dog)');
  });

  it('binds OR tighter than AND, like web search: a b OR c -d', () => {
    expect(tree('a b OR c -d')).toBe('AND(a, OR(b, c), NOT(d))');
    expect(tree('a | b')).toBe('OR(a, b)');
    expect(tree('(a b) OR c')).toBe('OR(AND(a, b), c)');
  });

  it('reads -word and NOT word as negation, but keeps hyphenated words whole', () => {
    expect(tree('-cat')).toBe('NOT(cat)');
    expect(tree('NOT "hot dog" x-ray')).toBe('AND(NOT("hot dog"), x-ray)');
    expect(tree('-(cat OR dog) pet')).toBe('AND(NOT(OR(cat, dog)), pet)');
    expect(tree('or and not')).toBe('AND(or, and, not)'); // only capitals are operators
  });

  it('takes folder, after and before filters out of the words', () => {
    const parsed = parseQuery(
      'beach folder:"/photos/summer trip" after:2024-06-01 before:2024-08-31',
    );
    expect(show(parsed.root)).toBe('beach');
    expect(parsed.filters).toEqual({
      folders: ['/photos/summer trip'],
      after: '2024-06-01',
      before: '2024-08-31',
    });
    expect(parseQuery('folder:/a').root).toBeNull();
  });

  it('refuses malformed queries, saying what and where', () => {
    expect(() => parseQuery('')).toThrow(/no words/);
    expect(() => parseQuery('(cat dog')).toThrow(/"\(" at character 1 is not closed/);
    expect(() => parseQuery('cat OR')).toThrow(/OR needs a term after it/);
    expect(() => parseQuery('OR cat')).toThrow(/needs a term before it/);
    expect(() => parseQuery('cat )')).toThrow(/unexpected "\)"/);
    expect(() => parseQuery('"open')).toThrow(/unclosed quote/);
    expect(() => parseQuery('after:yesterday')).toThrow(/not a date/);
  });
});
