import { describe, expect, it } from 'vitest';
import { quoteQuery } from '../../../src-renderer/lib/quote-query.js';

describe('quoteQuery', () => {
  it('puts a query in curly quotes', () => {
    expect(quoteQuery('dog')).toBe('“dog”');
    expect(quoteQuery('bird -owl')).toBe('“bird -owl”');
  });

  it('shows a query typed as one quoted phrase once quoted, not twice', () => {
    expect(quoteQuery('"black and white"')).toBe('“black and white”');
  });

  it('keeps the typed quotes when they are not one phrase around the whole query', () => {
    expect(quoteQuery('"hot dog" OR cat')).toBe('“"hot dog" OR cat”');
    expect(quoteQuery('"a" "b"')).toBe('“"a" "b"”');
    expect(quoteQuery('"')).toBe('“"”');
  });
});
