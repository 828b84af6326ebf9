import { describe, expect, it } from 'vitest';
import { liftNegatedWords, parseCli } from '../../../src-main/cli/options.js';

describe('CLI options', () => {
  it("reads -word in a search as the query's NOT", () => {
    expect(liftNegatedWords(['search', 'bird', '-owl', '--json'])).toEqual([
      'search',
      'bird',
      '--json',
      '--',
      '-owl',
    ]);
    expect(parseCli(['search', '-dog', '--json'])).toMatchObject({
      command: 'search',
      args: ['-dog'],
      json: true,
    });
    expect(parseCli(['search', 'a', '--', 'b OR c', '-d']).args).toEqual(['a', 'b OR c', '-d']);
  });

  it("finds the command past options' values", () => {
    expect(parseCli(['--data', '/d', 'search', 'bird', '-owl']).args).toEqual(['bird', '-owl']);
    expect(parseCli(['--data=/d', '--json', 'search', '-owl']).args).toEqual(['-owl']);
    expect(() => parseCli(['--data', 'search', 'vocab', '-owl'])).toThrow(/Unknown option/);
  });

  it('leaves other commands and options alone', () => {
    expect(liftNegatedWords(['vocab', 'rm', '-x'])).toEqual(['vocab', 'rm', '-x']);
    expect(parseCli(['search', 'dog', '-h']).help).toBe(true);
    expect(() => parseCli(['search', 'dog', '--closest', '--bogus'])).toThrow(/bogus/);
  });
});
