/**
 * Suggestions for unknown words come from the word table's spelling index, built once in the
 * background when a pack becomes active. An UNKNOWN_WORD raised before it is ready says so
 * (`details.pending`); the API then waits for the index (building yields to the event loop, so
 * nothing else waits) and answers the same error with its suggestions.
 */
import { AnytagError } from '../errors.js';
import type { WordTable } from '../model/word-table.js';
import { unknownWordError } from '../vocab/term-vectors.js';

/** `error` with suggestions filled in when it is an UNKNOWN_WORD still waiting for them. */
export async function withSuggestions(
  error: unknown,
  table: () => Promise<WordTable>,
): Promise<unknown> {
  if (!(error instanceof AnytagError) || error.code !== 'UNKNOWN_WORD') return error;
  if (error.details?.pending !== true) return error;
  const words = (error.details.unknown as string[] | undefined) ?? [];
  const wordTable = await table();
  await wordTable.prepareSpelling();
  const label = typeof error.details.label === 'string' ? error.details.label : words.join(' ');
  return unknownWordError(label, words, wordTable);
}
