/**
 * Suggestions for unknown words come from the word table's spelling index, built once in the
 * background when a pack becomes active. The engine raises UNKNOWN_WORD without them
 * (`details.pending`); the API then waits for the index if it is still being built (building
 * yields to the event loop, so nothing else waits) and answers the same error with suggestions
 * for its first MAX_SUGGESTED_WORDS words, yielding between words: a query of many unknown
 * words never holds the event loop.
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { AnytagError } from '../errors.js';
import type { WordTable } from '../model/word-table.js';
import { MAX_SUGGESTED_WORDS, unknownWordError } from '../vocab/term-vectors.js';

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
  const found = new Map<string, string[]>();
  for (const word of words.slice(0, MAX_SUGGESTED_WORDS)) {
    found.set(word, wordTable.suggest(word));
    await yieldToLoop();
  }
  const label = typeof error.details.label === 'string' ? error.details.label : words.join(' ');
  return unknownWordError(label, words, { suggest: (word) => found.get(word) ?? [] });
}
