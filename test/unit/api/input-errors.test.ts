/**
 * Refused API inputs read as plain sentences ("Label text is empty"), never "addLabel: text: …":
 * the method and the field's path stay in `details` for developers. Run on the real contract
 * schemas through the same parse the Api uses (input-errors.ts).
 */
import { describe, expect, it } from 'vitest';
import { apiInputSchemas, type ApiMethod } from '../../../src-main/engine/api/contract.js';
import { inputIssuePhrase, invalidInput } from '../../../src-main/engine/api/input-errors.js';
import type { AnytagError } from '../../../src-main/engine/errors.js';

function refusal(method: ApiMethod, input: unknown): AnytagError {
  const parsed = apiInputSchemas[method].safeParse(input, { error: inputIssuePhrase });
  if (parsed.success) throw new Error(`${method} accepted ${JSON.stringify(input)}`);
  return invalidInput(method, parsed.error);
}

describe('refused inputs', () => {
  it('say what is wrong with which field, in words', () => {
    const cases: [ApiMethod, unknown, string][] = [
      ['addLabel', { text: '  ' }, 'Label text is empty'],
      ['addLabel', { text: 'x'.repeat(101) }, 'Label text is longer than 100 characters'],
      ['addLabel', {}, 'Label text is missing'],
      ['addLabel', { text: 'owl', aliases: ['ok', ' '] }, 'Alias 2 is empty'],
      ['renameLabel', { label: 'owl', to: '' }, 'New name is empty'],
      ['search', { query: ' ' }, 'Search text is empty'],
      ['search', { query: 'red', limit: 0 }, 'Limit must be at least 1'],
      ['search', { query: 'red', limit: 2.5 }, 'Limit must be a whole number'],
      ['search', { query: 'red', limit: '5' }, 'Limit must be a number'],
      ['search', { query: 'red', extra: 1 }, '"extra" is not an input of this request'],
      [
        'listPhotos',
        { sort: 'size' },
        'Sort order must be one of: taken-desc, taken-asc, modified, name, folder',
      ],
      [
        'listPhotos',
        { taken: '2024-13' },
        'Date taken must be a year, month or day (2024, 2024-05, 2024-05-17) or "none"',
      ],
      ['addFolder', { path: '  ' }, 'Folder is empty or blank'],
      [
        'usePack',
        { id: 'Bad Id' },
        'Pack id may hold only lowercase letters, digits, ".", "_" or "-"',
      ],
      ['usePack', { id: 'constructor' }, 'Pack id is a reserved name ("constructor", …)'],
      ['labelPhotos', { photos: [], label: 'owl', vote: 'up' }, 'Photos is an empty list'],
      ['listLabels', { matchedOnly: 1 }, '"matchedOnly" is not an input of this request'],
      ['search', { query: 'red', matchedOnly: 'yes' }, '"Matches only" must be true or false'],
    ];
    for (const [method, input, message] of cases) {
      const error = refusal(method, input);
      expect(error.code, method).toBe('INVALID_INPUT');
      expect(error.message, `${method} ${JSON.stringify(input)}`).toBe(message);
      expect(error.message).not.toContain(`${method}:`);
    }
  });

  it('keep the method and the field path for developers, apart from the message', () => {
    const error = refusal('addLabel', { text: 'owl', aliases: ['', 'x'.repeat(101)] });
    expect(error.message).toBe('Alias 1 is empty; Alias 2 is longer than 100 characters');
    expect(error.details).toEqual({
      method: 'addLabel',
      fields: [
        { field: 'aliases.0', problem: 'is empty' },
        { field: 'aliases.1', problem: 'is longer than 100 characters' },
      ],
    });
  });
});
