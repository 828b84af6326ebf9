/** `anytag` argument parsing: commands checked up front, search words as the shell split them. */
import { describe, expect, it } from 'vitest';
import { AnytagError } from '../../../src-main/engine/errors.js';
import { liftNegatedWords, parseCli, searchQuery } from '../../../src-main/cli/options.js';

describe('parseCli', () => {
  it('refuses an unknown command before anything opens the data folder', () => {
    let caught: unknown;
    try {
      parseCli(['frobnicate', '--data', '/tmp/x']);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AnytagError);
    expect((caught as AnytagError).code).toBe('INVALID_INPUT');
    expect((caught as AnytagError).message).toMatch(/^Unknown command "frobnicate"\n\nUsage:/);
  });

  it('takes every command the usage lists, and none', () => {
    for (const command of ['index', 'search', 'vocab', 'tags', 'status', 'packs', 'pack', 'serve'])
      expect(parseCli([command]).command).toBe(command);
    expect(parseCli(['--json']).command).toBeUndefined();
  });
});

describe('searchQuery', () => {
  it('keeps an argument the shell was given in quotes as one phrase', () => {
    expect(searchQuery(['hot dog'])).toBe('"hot dog"');
    expect(searchQuery(['red', 'hot air balloon'])).toBe('red "hot air balloon"');
    expect(searchQuery(['  hot   dog '])).toBe('"hot   dog"');
  });

  it('joins plain words, which are ANDed', () => {
    expect(searchQuery(['red', 'car'])).toBe('red car');
    expect(searchQuery([' bird '])).toBe('bird');
  });

  it('passes an argument that is a query of its own as written', () => {
    for (const query of [
      'bird OR parrot',
      'bird -cage',
      'NOT cage bird',
      'bird AND tree',
      '"hot dog" bun',
      '(cat | dog) toy',
      'bird folder:/photos',
      'cat & dog',
    ])
      expect(searchQuery([query])).toBe(query);
  });

  it('still quotes words that merely contain operator letters or hyphens', () => {
    expect(searchQuery(['ORange car'])).toBe('"ORange car"');
    expect(searchQuery(['t-shirt print'])).toBe('"t-shirt print"');
  });
});

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

describe('negative numbers', () => {
  it('takes a negative threshold as the argument it is, not an unknown option', () => {
    expect(parseCli(['vocab', 'threshold', 'owl', '-0.1']).args).toEqual([
      'threshold',
      'owl',
      '-0.1',
    ]);
    expect(parseCli(['vocab', 'threshold', 'owl', '-1', '--json'])).toMatchObject({
      args: ['threshold', 'owl', '-1'],
      json: true,
    });
    expect(parseCli(['vocab', 'add', 'owl', '--threshold', '-.05']).threshold).toBe(-0.05);
    expect(parseCli(['vocab', 'add', 'owl', '--threshold=-1e-2']).threshold).toBe(-0.01);
  });

  it('refuses a negative limit with a plain sentence, not the parser’s “ambiguous”', () => {
    expect(() => parseCli(['search', 'owl', '--limit', '-1'])).toThrow(
      '--limit must be a whole number (0 or more), got "-1"',
    );
  });

  it('leaves words, options and everything after -- alone', () => {
    expect(parseCli(['search', 'owl', '-h']).help).toBe(true);
    expect(() => parseCli(['vocab', 'rm', '-x'])).toThrow(/Unknown option '-x'/);
    expect(parseCli(['search', 'owl', '--', '-2']).args).toEqual(['owl', '-2']);
  });
});
